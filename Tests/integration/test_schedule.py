"""The schedule runs the station: a real Icecast, real files, one real slot of a minute.

One run covers the issue's scenarios (to keep CI time down): a UTC schedule.json as `onair build`
writes it, with a show whose folder is empty on air at the start (fallback + alarm, rotation
plays), a silent rotation track (skipped, alarm), station IDs every 20 s, and the `jazz` show
in the next minute. A listener records the stream; pitches tell the folders apart (rotation
440 Hz, jazz 880 Hz, IDs 660 Hz). Then `onair report` must list what the listener heard, in order.
"""
import calendar
import csv
import io
import json
import math
import subprocess
import time

import numpy

from helpers.audio import Listener, decode, make_ogg, make_wav, RATE
from helpers.processes import wait_until

PITCH = {"rotation": 440, "ids": 660, "jazz": 880}


def utc_parts(epoch):
    moment = time.gmtime(epoch)
    return time.strftime("%Y-%m-%d", moment), time.strftime("%H:%M", moment)


def special(show, start, end):
    date, start_time = utc_parts(start)
    return {"date": date, "start": start_time, "end": utc_parts(end)[1], "show": show}


def labels(samples, window=0.25):
    """One label per window: the nearest of the three pitches, or None when quiet."""
    size = int(RATE * window)
    out = []
    for index in range(0, len(samples) - size, size):
        block = samples[index:index + size]
        if numpy.sqrt(numpy.mean(block ** 2)) < 0.01:
            out.append(None)
            continue
        spectrum = numpy.abs(numpy.fft.rfft(block * numpy.hanning(size)))
        peak = numpy.argmax(spectrum) * RATE / size
        out.append(min(PITCH.values(), key=lambda f: abs(f - peak)))
    return out


def runs(sequence, window=0.25, shortest=0.75):
    """(label, start seconds, length seconds) of runs of equal labels, short ones (transitions) dropped."""
    result = []
    start = 0
    for index in range(1, len(sequence) + 1):
        if index == len(sequence) or sequence[index] != sequence[start]:
            if (index - start) * window >= shortest:
                result.append((sequence[start], start * window, (index - start) * window))
            start = index
    return result


def collapse(sequence):
    out = []
    for item in sequence:
        if item is not None and (not out or out[-1] != item):
            out.append(item)
    return out


def test_the_schedule_plays_shows_ids_and_rotation_and_the_report_lists_it(icecast, onaird_factory, tmp_path):
    daemon = onaird_factory(icecast)
    music = daemon.folder / "music"
    for folder in ("rotation", "jazz", "empty", "ids"):
        (music / folder).mkdir(parents=True)
    make_ogg(music / "rotation" / "a.ogg", 6, 440, artist="Band A", title="Rotation One")
    subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", "-e", "signed-integer",
                    str(music / "rotation" / "b-silent.wav"), "trim", "0", "20"], check=True, timeout=60)
    make_ogg(music / "rotation" / "c.ogg", 7, 440, artist="Band C", title="Rotation Two")
    make_ogg(music / "jazz" / "j1.ogg", 8, 880, artist="Jazz", title="One")
    make_ogg(music / "jazz" / "j2.ogg", 8, 880, artist="Jazz", title="Two")
    make_wav(music / "ids" / "id1.wav", 1.5, 660)
    make_wav(music / "ids" / "id2.wav", 1.5, 660)

    now = time.time()
    show_start = math.ceil((now + 25) / 60) * 60
    show_end = show_start + 60
    schedule = {
        "schema": 1, "timezone": "UTC",
        "shows": {"jazz": {"title": "Jazz Hour", "host": None, "url": "/shows/jazz/"},
                  "empty": {"title": "Empty Show", "host": None, "url": "/shows/empty/"}},
        "weekly": [],
        "specials": [special("empty", math.floor(now / 60) * 60, show_start), special("jazz", show_start, show_end)],
        "upcoming": [],
    }
    (daemon.site / "schedule.json").write_text(json.dumps(schedule))
    daemon.config.update({
        "source": {"kind": "schedule", "music": "./music", "shuffle": False},
        "slot_grace": 10, "ids_every": 20,
        "silence": {"threshold": -50, "after": 3},
        "hooks": {"alarm": "cat >> alarms.jsonl", "title": "cat >> titles.jsonl"},
        "playout_log": "./playout.log",
    })
    daemon.start()
    icecast.wait_for_source("/radio.ogg")
    connected = time.time()
    status = None
    with Listener(icecast.mount_url("/radio.ogg"), tmp_path / "heard.ogg") as listener:
        wait_until(lambda: time.time() > show_start + 15, show_start + 30 - time.time(), interval=0.5, what="the show")
        status = daemon.onair("status")
        wait_until(lambda: time.time() > show_end + 16, show_end + 30 - time.time(), interval=0.5, what="the slot's end")
    listened = time.time() - connected
    assert listener.error is None, listener.error
    daemon.terminate()

    # `onair status` during the show names it, its folder, what comes next and the next ID.
    assert status.returncode == 0, status.stderr
    assert "show:       Jazz Hour (jazz)\n" in status.stdout, status.stdout
    assert "folder:     jazz\n" in status.stdout, status.stdout
    assert "next:       jazz/j" in status.stdout, status.stdout
    assert "next ID:    ids/id" in status.stdout, status.stdout

    samples = decode(listener.data())
    heard = labels(samples)
    # The listener's first second is Icecast's burst of earlier audio: map stream time to wall time.
    burst = len(samples) / RATE - listened
    def wall(seconds):
        return connected - burst + seconds
    segments = runs(heard)
    jazz = [(start, length) for label, start, length in segments if label == 880]
    assert jazz, segments
    first_jazz, last_jazz_end = wall(jazz[0][0]), wall(jazz[-1][0] + jazz[-1][1])
    # The show starts at a track boundary, at most slot_grace (+ the 2 s fade) late.
    assert show_start - 2 <= first_jazz <= show_start + 10 + 2 + 2, (first_jazz - show_start, segments)
    assert show_end - 2 <= last_jazz_end <= show_end + 10 + 2 + 2, (last_jazz_end - show_end, segments)
    assert any(label == 440 and wall(start) > show_end for label, start, _ in segments), segments
    assert any(label == 440 and wall(start) < show_start for label, start, _ in segments), segments

    # IDs at the set interval (the first track boundary 20 s after the previous one).
    ids = [wall(start) for label, start, _ in segments if label == 660]
    assert len(ids) >= 4, segments
    gaps = [b - a for a, b in zip(ids, ids[1:])]
    # 20 s, then up to one rotation track (7 s) until the boundary; never early.
    assert all(19 <= gap <= 29 for gap in gaps), gaps

    # The silent track was skipped within silence.after + 2 s; the alarm hook heard why.
    quiet = [length for label, _, length in segments if label is None]
    assert not quiet or max(quiet) <= 3 + 2, segments  # cut altogether when the leading silence is trimmed
    alarms = [json.loads(line) for line in (daemon.folder / "alarms.jsonl").read_text().splitlines()]
    reasons = [alarm["reason"] for alarm in alarms]
    assert "silence" in reasons and "fallback" in reasons, alarms
    assert all(alarm["event"] == "alarm" and alarm["at"].endswith("Z") for alarm in alarms), alarms
    fallback = next(alarm for alarm in alarms if alarm["reason"] == "fallback")
    assert fallback["detail"].endswith("music/empty holds no playable files: playing the rotation instead"), fallback
    titles = [json.loads(line)["text"] for line in (daemon.folder / "titles.jsonl").read_text().splitlines()]
    assert "Jazz - One" in titles and "Band A - Rotation One" in titles, titles

    # `onair report` lists what the listener heard, in order.
    report = subprocess.run([str(daemon.bin_dir / "onair"), "report", "--log", str(daemon.folder / "playout.log"),
                             "--format", "csv"], capture_output=True, text=True, timeout=30)
    assert report.returncode == 0, report.stderr
    rows = list(csv.DictReader(io.StringIO(report.stdout)))
    assert rows[0]["file"] == "rotation/a.ogg" and rows[0]["artist"] == "Band A", rows[0]
    assert {row["kind"] for row in rows} == {"music", "id"}, rows
    logged = collapse([None if "silent" in row["file"] else PITCH[row["file"].split("/")[0]] for row in rows])
    listened_to = collapse([label for label, _, _ in segments])
    shorter = min(len(logged), len(listened_to))
    assert shorter >= 6 and logged[:shorter] == listened_to[:shorter], (logged, listened_to)
    assert len(listened_to) - len(logged) in (0, 1), (logged, listened_to)  # the item on air at the stop is not logged yet


def ebur128_integrated(recording, start, length, folder):
    """ffmpeg's ebur128 filter on a stretch of a recording (cut by sample, not by the chained
    Ogg's timestamps, which restart with every title): the integrated loudness in LUFS."""
    stereo = subprocess.run(["ffmpeg", "-v", "error", "-i", str(recording), "-f", "s16le", "-ac", "2", "-ar", str(RATE),
                             "pipe:1"], capture_output=True, timeout=120).stdout
    frame = 4
    cut = stereo[int(start * RATE) * frame:int((start + length) * RATE) * frame]
    raw = folder / f"cut-{start:.2f}.raw"
    raw.write_bytes(cut)
    result = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-f", "s16le", "-ac", "2", "-ar", str(RATE), "-i", str(raw),
                             "-af", "ebur128", "-f", "null", "-"], capture_output=True, text=True, timeout=60)
    summary = result.stderr.rsplit("Summary:", 1)[-1]
    return float(summary.split("I:", 1)[1].split("LUFS", 1)[0])


def test_loudness_brings_tracks_20_db_apart_within_1_lu(icecast, onaird_factory, tmp_path):
    daemon = onaird_factory(icecast)
    rotation = daemon.folder / "music" / "rotation"
    rotation.mkdir(parents=True)
    for name, frequency, volume in (("a-loud", 440, 0.5), ("b-quiet", 880, 0.05)):
        wav = tmp_path / f"{name}.wav"
        subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", "-e", "signed-integer", str(wav),
                        "synth", "6", "sine", str(frequency), "vol", str(volume)], check=True, timeout=60)
        subprocess.run(["oggenc", "-Q", "-q", "4", "-o", str(rotation / f"{name}.ogg"), str(wav)], check=True, timeout=60)
    daemon.config.update({"source": {"kind": "schedule", "music": "./music", "shuffle": False}, "loudness": -16,
                          "crossfade": 1})
    daemon.start(env={"CACHE_DIRECTORY": str(daemon.folder / "cache")})
    icecast.wait_for_source("/radio.ogg")
    with Listener(icecast.mount_url("/radio.ogg"), tmp_path / "heard.ogg") as listener:
        time.sleep(27)
    assert listener.error is None, listener.error
    daemon.terminate()

    heard = labels(decode(tmp_path / "heard.ogg"))
    segments = runs(heard)
    # Crossfaded: no quiet moment between the tracks.
    assert None not in heard[4:-4], segments
    tones = [(label, start, length) for label, start, length in segments if label in (440, 880) and length >= 4]
    # The first play of a-loud is not measured yet (0 dB, never waiting); everything after it is.
    first = next(index for index, (label, _, _) in enumerate(tones) if label == 880)
    quiet, loud = tones[first], tones[first + 1]
    assert loud[0] == 440, tones
    quiet_lufs = ebur128_integrated(tmp_path / "heard.ogg", quiet[1] + 1, quiet[2] - 2, tmp_path)
    loud_lufs = ebur128_integrated(tmp_path / "heard.ogg", loud[1] + 1, loud[2] - 2, tmp_path)
    assert abs(quiet_lufs - loud_lufs) <= 1, (quiet_lufs, loud_lufs)
    assert abs(quiet_lufs + 16) <= 1, quiet_lufs
    cache = (daemon.folder / "cache" / "loudness.tsv").read_text()
    assert "a-loud.ogg" in cache and "b-quiet.ogg" in cache, cache
