"""Listen again: onaird records every airing, `onair build` lists it and makes podcasts, nginx serves it.

One real slot of a minute (the `jazz` show, after a `record: false` show that must not be recorded)
is recorded and checked end to end: the file decodes with the slot's duration, its sidecar's
tracklist is what the playout log says aired, the built show page lists it and Chromium plays and
seeks it through nginx (a 206), the podcast feed parses with every enclosure's exact size, and an
airing older than keep_days is pruned and leaves the site at the next build. Shorter tests: a
SIGKILL mid-show leaves two playable parts; a full disk stops the recording (alarm) and not the stream.
"""
import calendar
import json
import math
import os
import pathlib
import signal
import subprocess
import time
import urllib.request

import pytest

import numpy

from helpers.audio import RATE, Listener, decode, make_ogg, make_wav
from helpers.nginx import request
from helpers.processes import wait_until


def hhmm(epoch):
    return time.strftime("%H:%M", time.gmtime(epoch))


def write_content(folder, slots):
    """A minimal station in UTC: `jazz` (recorded), `secret` (record: false), `slots` as dated specials."""
    content = folder / "Content"
    (content / "shows").mkdir(parents=True)
    (content / "station.yaml").write_text(
        "name: Radio Test\nbase_url: http://127.0.0.1:9\ntimezone: UTC\n"
        "streams:\n  - { mount: /radio.ogg, format: vorbis, bitrate: 128 }\n")
    (content / "shows" / "jazz.md").write_text(
        "---\ntitle: Jazz Hour\nhost: Ann <b>Bold</b>\ndescription: Jazz & more.\n---\nJazz.\n")
    (content / "shows" / "secret.md").write_text(
        "---\ntitle: Secret Set\ndescription: Music we may not record.\nrecord: false\n---\nNo.\n")
    rows = "".join(f"| {time.strftime('%Y-%m-%d', time.gmtime(start))} | {hhmm(start)}–{hhmm(end)} | "
                   f"[{show}](shows/{show}.md) | |\n" for show, start, end in slots)
    (content / "schedule.md").write_text(
        "# Schedule\n\n## Monday\n| Time | Show |\n|------|------|\n| 03:00–03:01 | [Jazz Hour](shows/jazz.md) |\n\n"
        "## Specials\n| Date | Time | Show | Title |\n|------|------|------|-------|\n" + rows)
    return content


def build(bin_dir, repo_root, content, site, recordings=None, base_url="http://127.0.0.1:9"):
    result = subprocess.run(
        [str(bin_dir / "onair"), "build", "--content", str(content), "--templates", str(repo_root / "Templates"),
         "--output", str(site), "--base-url", base_url] + (["--recordings", str(recordings)] if recordings else []),
        capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def probe_seconds(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip(), f"ffprobe cannot read {path}: {out.stderr}"
    return float(out.stdout.strip())


def decodes(path):
    """ffmpeg decodes the whole file without an error."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True, text=True,
                         timeout=120)
    return out.returncode == 0 and not out.stderr.strip(), out.stderr


def pitch_runs(samples, window=0.05):
    """(pitch, start seconds) of each run of one of the test tones (550, 660, 880 Hz) lasting 0.5 s or more."""
    size = int(RATE * window)
    labels = []
    for index in range(0, len(samples) - size, size):
        block = samples[index:index + size]
        if numpy.sqrt(numpy.mean(block ** 2)) < 0.01:
            labels.append(None)
            continue
        peak = numpy.argmax(numpy.abs(numpy.fft.rfft(block * numpy.hanning(size)))) * RATE / size
        labels.append(min((440, 550, 660, 880), key=lambda f: abs(f - peak)))
    runs, start = [], 0
    for index in range(1, len(labels) + 1):
        if index == len(labels) or labels[index] != labels[start]:
            if labels[start] is not None and (index - start) * window >= 0.5:
                runs.append((labels[start], start * window))
            start = index
    return runs


def music(folder):
    for name in ("rotation", "jazz", "secret", "ids"):
        (folder / name).mkdir(parents=True)
    make_ogg(folder / "rotation" / "r1.ogg", 9, 440, artist="Rot", title="One")
    make_ogg(folder / "secret" / "s1.ogg", 9, 550, artist="Secret", title="Set")
    for index in range(1, 4):
        make_ogg(folder / "jazz" / f"j{index}.ogg", 14, 880, artist="Jazz & Co", title=f"<Tune {index}>")
    make_wav(folder / "ids" / "id1.wav", 1.5, 660)


def airing_now(daemon, content_slots, tmp_path, bin_dir, repo_root, **record):
    """A station whose `jazz` show is on air from now for a few minutes; onaird records it."""
    now = time.time()
    start = math.floor(now / 60) * 60
    content = write_content(tmp_path / "station", [("jazz", start, start + 600)] if content_slots is None else content_slots)
    build(bin_dir, repo_root, content, daemon.site)
    music(daemon.folder / "music")
    daemon.config.update({
        "source": {"kind": "schedule", "music": "./music", "shuffle": False},
        "slot_grace": 3, "loudness": False,
        "hooks": {"alarm": "cat >> alarms.jsonl"},
        "record": {"dir": "./rec", "format": "opus", "bitrate": 64, **record},
    })
    return content


def test_an_airing_is_recorded_listed_played_seeked_and_podcast(icecast, onaird_factory, nginx_factory, browser,
                                                                  bin_dir, repo_root, tmp_path):
    daemon = onaird_factory(icecast)
    now = time.time()
    show_start = math.ceil((now + 25) / 60) * 60
    show_end = show_start + 60
    content = write_content(tmp_path / "station", [("secret", math.floor(now / 60) * 60, show_start),
                                                   ("jazz", show_start, show_end)])
    recordings = daemon.folder / "rec"
    site = tmp_path / "site"
    # An airing from long ago (keep_days: 30): listed by a build now, pruned when onaird starts.
    old = recordings / "jazz"
    old.mkdir(parents=True)
    subprocess.run(["sox", "-n", "-r", "48000", "-c", "2", "-b", "16", "-e", "signed-integer", str(tmp_path / "old.wav"),
                    "synth", "3", "sine", "440"], check=True, timeout=60)
    subprocess.run(["opusenc", "--quiet", str(tmp_path / "old.wav"), str(old / "2020-01-01-1000.opus")], check=True,
                   timeout=60)
    (old / "2020-01-01-1000.json").write_text(json.dumps({
        "schema": 1, "show": {"slug": "jazz", "title": "Jazz Hour"}, "start": "2020-01-01T10:00:00Z",
        "end": "2020-01-01T10:00:03Z", "live": False, "dj": None, "file": "2020-01-01-1000.opus", "format": "opus",
        "part": 1, "tracks": []}))
    for name in ("2020-01-01-1000.opus", "2020-01-01-1000.json"):
        os.utime(old / name, (1577872800, 1577872800))
    built = build(bin_dir, repo_root, content, site, recordings)
    assert "2020-01-01-1000.opus" in (site / "shows" / "jazz" / "podcast.xml").read_text()

    build(bin_dir, repo_root, content, daemon.site)
    music(daemon.folder / "music")
    daemon.config.update({
        "source": {"kind": "schedule", "music": "./music", "shuffle": False},
        "slot_grace": 3, "ids_every": 20, "loudness": False,
        "playout_log": "./playout.log",
        # An Opus output of the recording's bitrate: the recording takes its packets (no second encode).
        "outputs": [{"mount": "/radio.ogg", "format": "vorbis", "quality": 2},
                    {"mount": "/radio.opus", "format": "opus", "bitrate": 64}],
        "record": {"dir": "./rec", "format": "opus", "keep_days": 30},
    })
    daemon.start()
    icecast.wait_for_source("/radio.ogg")
    wait_until(lambda: not (old / "2020-01-01-1000.opus").exists(), 15, what="the old airing pruned")
    assert not (old / "2020-01-01-1000.json").exists()
    wait_until(lambda: time.time() > show_end + 4, show_end + 20 - time.time(), interval=0.5, what="the slot's end")
    daemon.terminate()
    assert "record.encoder=packets of /radio.opus" in daemon.log(), daemon.log()[-3000:]

    # One file for the jazz airing, under its final name; nothing for the record: false show.
    assert not (recordings / "secret").exists() or not any((recordings / "secret").iterdir())
    files = sorted(p.name for p in (recordings / "jazz").iterdir())
    stem = time.strftime("%Y-%m-%d-%H%M", time.gmtime(show_start))
    assert files == [f"{stem}.json", f"{stem}.opus"], files
    audio = recordings / "jazz" / f"{stem}.opus"
    ok, errors = decodes(audio)
    assert ok, errors
    assert abs(probe_seconds(audio) - 60) <= 1, probe_seconds(audio)
    sidecar = json.loads((recordings / "jazz" / f"{stem}.json").read_text())
    assert sidecar["show"] == {"slug": "jazz", "title": "Jazz Hour"}
    assert sidecar["file"] == f"{stem}.opus" and sidecar["format"] == "opus" and sidecar["part"] == 1
    assert sidecar["dj"] == "Ann <b>Bold</b>" and sidecar["live"] is False
    start = calendar.timegm(time.strptime(sidecar["start"], "%Y-%m-%dT%H:%M:%SZ"))
    assert abs(start - show_start) <= 1.5, sidecar["start"]

    # The tracklist is what aired in the slot (the playout log), at the right offsets.
    aired = []
    for line in (daemon.folder / "playout.log").read_text().splitlines():
        entry = json.loads(line)
        began = calendar.timegm(time.strptime(entry["start"][:19], "%Y-%m-%dT%H:%M:%S"))
        if show_start - 3 <= began < show_end - 3:
            text = f"{entry['artist']} - {entry['title']}" if entry.get("artist") else entry["title"]
            aired.append((text, began - start, entry["kind"]))
    tracks = sidecar["tracks"]
    # The log stamps an item when it is sent (whole seconds; the stream runs up to 2 s ahead of the
    # clock): an item stamped in the 3 s before the slot may be the recording's first, or not.
    while aired and aired[0][1] < 0.5 and aired[0][0] != tracks[0]["text"]:
        aired.pop(0)
    # The item on air at the slot's end is logged when it ends, after the stop: compare what both have.
    assert len(aired) >= 3 and len(tracks) >= len(aired), (aired, tracks)
    assert [t["text"] for t in tracks[:len(aired)]] == [text for text, _, _ in aired], (aired, tracks)
    assert all(abs(t["offset"] - offset) <= 3 for t, (_, offset, _) in zip(tracks, aired)), (aired, tracks)
    assert "id" in {kind for _, _, kind in aired}, aired  # the IDs that aired are in the list too
    # In the file itself the offsets are exact: each station ID (660 Hz between 880 Hz jazz) starts where
    # the tracklist says, within a quarter of a second.
    heard = pitch_runs(decode(audio))
    # The record: false show's last track (550 Hz) played on into the slot: silence in the recording.
    assert 550 not in {pitch for pitch, _ in heard}, heard
    ids = [start for pitch, start in heard if pitch == 660]
    listed = [t["offset"] for t in tracks if t["text"] == "id1"]
    assert len(ids) == len(listed) >= 1, (heard, tracks)
    assert all(abs(a - b) <= 0.3 for a, b in zip(ids, listed)), (ids, listed)

    # The site: the show page lists it, the old airing is gone, the record: false show has no podcast.
    server = nginx_factory(site, recordings=recordings)
    base = server.url.rstrip("/")
    result = build(bin_dir, repo_root, content, site, recordings, base_url=base)
    page = (site / "shows" / "jazz" / "index.html").read_text()
    assert f"/recordings/jazz/{stem}.opus" in page and "2020-01-01" not in page
    assert "&lt;Tune 1&gt;" in page and "<Tune" not in page
    assert 'preload="none"' in page and "crossorigin" not in page
    assert not (site / "shows" / "secret" / "podcast.xml").exists()
    assert "podcast.xml" not in (site / "shows" / "secret" / "index.html").read_text()
    assert f"/recordings/jazz/{stem}.opus" in (site / "index.html").read_text()
    assert not any(p.suffix in (".opus", ".ogg", ".mp3") for p in site.rglob("*")), "recordings copied into site/"
    again = build(bin_dir, repo_root, content, site, recordings, base_url=base)
    assert "nothing changed since the last build" in again.stdout, again.stdout

    # The podcast feed parses; every enclosure has the file's exact size and MIME type.
    import feedparser
    status, headers, body = request(base + "/shows/jazz/podcast.xml")
    assert status == 200, status
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.bozo_exception
    assert len(feed.entries) == 1, feed.entries
    for entry in feed.entries:
        (enclosure,) = entry.enclosures
        assert enclosure.href.startswith(base + "/recordings/jazz/")
        name = enclosure.href.rsplit("/", 1)[1]
        assert int(enclosure.length) == (recordings / "jazz" / name).stat().st_size
        assert enclosure.type == "audio/ogg"
        assert entry.itunes_duration == "60", entry.itunes_duration
    status, headers, _ = request(base + f"/recordings/jazz/{stem}.opus", method="HEAD")
    assert status == 200 and headers["content-type"] == "audio/ogg", (status, headers)
    assert "max-age=31536000" in headers.get("cache-control", ""), headers
    status, _, _ = request(base + "/recordings/jazz/." + f"{stem}.opus.part")
    assert status in (403, 404), status

    # Chromium plays it and a tracklist time seeks it (a Range request, answered 206).
    browser.get(base + "/shows/jazz/")
    target = tracks[2]["offset"]
    browser.js("document.querySelector('details.tracklist').open = true;"
               "document.querySelectorAll('button.seek')[2].click();")
    state = wait_until(lambda: browser.js(
        "var a = document.querySelector('audio.recording-player');"
        "return a.currentTime >= arguments[0] && !a.paused ? [a.currentTime, a.error] : null;", int(target)),
        20, interval=0.2, what="the player seeked and playing")
    assert state[1] is None, state
    wait_until(lambda: "Now in this recording" in (browser.js(
        "return document.querySelector('.recording-now').textContent;") or ""), 10, what="the track named")
    log = (server.prefix / "access.log").read_text()
    assert f"/recordings/jazz/{stem}.opus HTTP/1.1\" 206" in log, log
    assert not browser.alerts() and not browser.csp_violations(), (browser.alerts(), browser.csp_violations())
    from axe_selenium_python import Axe
    axe = Axe(browser.driver)
    axe.inject()
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in axe.run()["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


def test_a_killed_onaird_leaves_a_playable_first_part_and_starts_a_second(icecast, onaird_factory, bin_dir, repo_root,
                                                                             tmp_path):
    daemon = onaird_factory(icecast)
    airing_now(daemon, None, tmp_path, bin_dir, repo_root)
    folder = daemon.folder / "rec" / "jazz"
    daemon.start()
    icecast.wait_for_source("/radio.ogg")
    wait_until(lambda: folder.exists() and any(p.name.endswith(".opus.part") and p.stat().st_size > 48_000
                                               for p in folder.iterdir()), 30, what="a part being written")
    daemon.process.proc.send_signal(signal.SIGKILL)
    daemon.process.proc.wait(timeout=10)
    assert not any(p.name.endswith(".opus") for p in folder.iterdir())  # still under its temporary name

    daemon.start()
    wait_until(lambda: sum(1 for p in folder.iterdir() if p.name.endswith(".opus.part")) == 1
               and any(p.name.endswith(".opus") for p in folder.iterdir()), 30, what="the first part recovered")
    time.sleep(6)
    assert daemon.terminate() == 0
    names = sorted(p.name for p in folder.iterdir())
    opus = sorted((n for n in names if n.endswith(".opus")), key=len)
    assert len(opus) == 2 and opus[1] == opus[0].replace(".opus", "-2.opus"), names
    assert not [n for n in names if n.startswith(".")], names
    for name in opus:
        ok, errors = decodes(folder / name)
        assert ok, (name, errors)
        assert probe_seconds(folder / name) > 3
        sidecar = json.loads((folder / name.replace(".opus", ".json")).read_text())
        assert sidecar["file"] == name and sidecar["part"] == (2 if "-2" in name else 1)
    assert "recording left by a crash recovered" in daemon.log()


def test_a_full_disk_stops_the_recording_with_an_alarm_and_not_the_stream(icecast, onaird_factory, bin_dir, repo_root,
                                                                         tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    daemon = onaird_factory(icecast)
    disk = daemon.folder / "rec"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(disk)], capture_output=True,
                             text=True, timeout=30)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        airing_now(daemon, None, tmp_path, bin_dir, repo_root, bitrate=256)
        daemon.start()
        icecast.wait_for_source("/radio.ogg")
        with Listener(icecast.mount_url("/radio.ogg"), tmp_path / "heard.ogg") as listener:
            alarms = daemon.folder / "alarms.jsonl"
            wait_until(lambda: alarms.exists() and "recording" in alarms.read_text(), 40, what="the recording alarm")
            alarm = next(json.loads(line) for line in alarms.read_text().splitlines()
                         if json.loads(line)["reason"] == "recording")
            assert "disk is full" in alarm["detail"], alarm
            before = listener.marks[-1][1]
            time.sleep(5)
            after = listener.marks[-1][1]
        assert listener.error is None, listener.error
        assert after - before > 5000, (before, after)  # the stream went on (a q2 Vorbis sine: about 3.5 kB/s)
        assert daemon.process.alive()
        assert "alarm" in daemon.log() and "recording" in daemon.log()
        assert daemon.terminate() == 0
        # What was written before the disk filled up is published under its name, and plays.
        opus = [p for p in (disk / "jazz").iterdir() if p.name.endswith(".opus")]
        assert opus, list((disk / "jazz").iterdir())
        assert probe_seconds(opus[0]) > 0
    finally:
        if daemon.process is not None and daemon.process.alive():
            daemon.process.stop()
        subprocess.run(["umount", "-l", str(disk)], capture_output=True, timeout=30)
