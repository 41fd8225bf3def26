"""One onaird, three outputs (Opus, Vorbis, MP3) on a real Icecast2, heard by real listeners
(curl + ffmpeg, an ICY-metadata reader, VLC); a playlist of MP3/FLAC/Opus/Vorbis/WAV files with bad
ones among them. Test audio is made with sox, lame, flac, opusenc and oggenc in tmp_path."""
import json
import re
import subprocess
import threading

from helpers.audio import (Listener, decode, listen, make_ogg, make_wav, ogg_is_valid, ogginfo, peak_frequency,
                           write_config)
from helpers.formats import (icy_titles, make_flac, make_mp3, make_opus, ogg_titles, pitch, vlc_listen)
from helpers.processes import wait_until

THREE = ["{ mount: /radio.opus, format: opus, bitrate: 64 }",
         "{ mount: /radio.ogg, format: vorbis, quality: 2 }",
         "{ mount: /radio.mp3, format: mp3, bitrate: 128 }"]
TONE_TITLE = re.compile(r"Test tone #(\d+)")


def in_threads(*calls):
    """Runs the calls at the same time; returns their results in order (exceptions re-raised)."""
    results, errors = [None] * len(calls), []

    def run(index, call):
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - re-raised below
            errors.append(error)
    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results


def distinct_tone_titles(titles):
    return sorted({int(m.group(1)) for t in titles if (m := TONE_TITLE.fullmatch(t or ""))})


def test_three_outputs_every_mount_heard_at_440_hz_with_changing_titles(icecast, run_onaird, tmp_path):
    config = write_config(tmp_path, icecast, "kind: tone\nfrequency: 440\ntitle_every: 3", outputs=THREE)
    daemon = run_onaird(config)
    wait_until(lambda: len(icecast.sources()) == 3, 20, what="three sources in Icecast's status")

    opus, vorbis, (mp3_type, mp3_titles, mp3_audio) = in_threads(
        lambda: listen(icecast.mount_url("/radio.opus"), 8, tmp_path / "heard.opus"),
        lambda: listen(icecast.mount_url("/radio.ogg"), 8, tmp_path / "heard.ogg"),
        lambda: icy_titles(icecast.mount_url("/radio.mp3"), 8))

    # Opus: an Ogg Opus stream, chained at every title, back at 440 Hz through ffmpeg.
    assert opus[:4] == b"OggS" and opus[28:36] == b"OpusHead", opus[:64]
    assert len(distinct_tone_titles(ogg_titles(opus))) >= 2, ogg_titles(opus)
    assert opus.count(b"OpusHead") >= 2
    assert abs(peak_frequency(decode(opus)) - 440) < 5
    # Vorbis: as before, one logical stream per title.
    code, report, streams = ogginfo(tmp_path / "heard.ogg")
    assert ogg_is_valid(code, report), report
    assert len(distinct_tone_titles([s["comments"].get("TITLE") for s in streams])) >= 2, report
    assert abs(peak_frequency(decode(vorbis)) - 440) < 5
    # MP3: audio/mpeg with ICY StreamTitle changes, back at 440 Hz through ffmpeg.
    assert mp3_type.startswith("audio/mpeg"), mp3_type
    assert len(distinct_tone_titles(mp3_titles)) >= 2, mp3_titles
    assert abs(peak_frequency(decode(mp3_audio)) - 440) < 5

    # Icecast's status: a tone title for Vorbis and MP3 (Icecast 2.4.4 does not read OpusTags into its
    # status; Opus listeners get the title in-band, checked above), and the right content types.
    for mount, kind in (("/radio.ogg", "audio/ogg"), ("/radio.mp3", "audio/mpeg")):
        entry = wait_until(lambda m=mount: (s := icecast.source(m)) and TONE_TITLE.fullmatch(s.get("title", "")) and s,
                           15, what=f"a tone title for {mount} in Icecast's status")
        assert entry["server_type"] == kind, entry
    opus_entry = icecast.source("/radio.opus")
    assert (opus_entry["server_type"], opus_entry["subtype"], opus_entry["samplerate"]) == ("audio/ogg", "Opus", 48000)

    # nowplaying.json lists the three mounts.
    document = wait_until(lambda: _mounts(tmp_path), 10, what="three mounts in nowplaying.json")
    assert [m["format"] for m in document] == ["opus", "vorbis", "mp3"]
    assert (document[0]["bitrate"], document[2]["bitrate"]) == (64, 128)  # Vorbis: Icecast's nominal figure
    assert [m["url"] for m in document] == [icecast.url + "/radio.opus", icecast.url + "/radio.ogg",
                                            icecast.url + "/radio.mp3"]
    assert daemon.alive()


def _mounts(tmp_path):
    try:
        document = json.loads((tmp_path / "site" / "nowplaying.json").read_text())
    except (OSError, ValueError):
        return None
    mounts = document.get("station", {}).get("mounts") or []
    return mounts if len(mounts) == 3 else None


def test_vlc_hears_every_mount_through_a_title_change(icecast, run_onaird, bin_dir, tmp_path):
    config = write_config(tmp_path, icecast, "kind: tone", outputs=THREE)
    run_onaird(config)
    wait_until(lambda: len(icecast.sources()) == 3, 20, what="three sources")
    mounts = ("/radio.opus", "/radio.ogg", "/radio.mp3")

    def retitle():
        # While VLC listens: a DJ's title, which chains the Ogg streams and changes the ICY title.
        import time
        time.sleep(3.5)
        return subprocess.run([str(bin_dir / "onair"), "now", "Ana - Über Café", "--socket",
                               str(tmp_path / "onaird.sock")], capture_output=True, text=True, timeout=10)
    *heard, result = in_threads(*[lambda m=m: vlc_listen(icecast.mount_url(m), tmp_path / f"vlc{m.replace('/', '-')}.wav", 8)
                                  for m in mounts], retitle)
    assert result.returncode == 0, result.stderr
    for mount, (samples, rate, stderr) in zip(mounts, heard):
        # VLC's file output starts a new file when a chained Ogg stream begins: what is left is the
        # audio VLC played after the title change.
        assert len(samples) > rate * 1.5, f"VLC decoded {len(samples) / rate:.1f} s from {mount}:\n{stderr[-2000:]}"
        assert abs(pitch(samples, rate) - 440) < 5, f"VLC heard {pitch(samples, rate):.1f} Hz on {mount}"

    for mount in ("/radio.ogg", "/radio.mp3"):
        wait_until(lambda m=mount: (icecast.source(m) or {}).get("title") in ("Ana - Über Café", "Über Café"), 15,
                   what=f"the DJ's title on {mount} in Icecast's status")
    _, titles, _ = icy_titles(icecast.mount_url("/radio.mp3"), 2)
    assert titles and titles[0] == "Ana - Über Café", titles
    opus = listen(icecast.mount_url("/radio.opus"), 2, tmp_path / "after.opus")
    assert "Über Café" in ogg_titles(opus), ogg_titles(opus)


def test_a_refused_mount_does_not_stall_the_other_outputs(icecast, run_onaird, tmp_path):
    outputs = ["{ mount: /radio.opus, format: opus }", "{ mount: /radio.mp3, format: mp3 }",
               "{ mount: /locked.ogg, format: vorbis }"]
    config = write_config(tmp_path, icecast, "kind: tone\nfrequency: 440", outputs=outputs)
    daemon = run_onaird(config)
    icecast.wait_for_source("/radio.mp3")
    icecast.wait_for_source("/radio.opus")
    with Listener(icecast.mount_url("/radio.mp3"), tmp_path / "heard.mp3") as listener:
        wait_until(lambda: listener.marks and listener.marks[-1][0] > 9, 20, what="10 s of listening")
    # 128 kbit/s = 16000 bytes/s: between 3 s and 9 s (after Icecast's burst) at least 5 s arrive.
    assert listener.bytes_at(9) - listener.bytes_at(3) >= 5 * 16000, listener.marks[-5:]
    assert abs(peak_frequency(decode(listener.data())) - 440) < 5
    assert icecast.source("/locked.ogg") is None
    log = daemon.output()
    refused = [line for line in log.splitlines() if "/locked.ogg" in line and "refused the source login" in line]
    assert refused, log
    assert daemon.alive()
