"""onaird's audio pipeline against a real Icecast2, heard by real clients (curl, ogginfo, ffmpeg).

Every test starts its own Icecast on a free 127.0.0.1 port and its own onaird; test audio is made
with sox/oggenc in tmp_path. Nothing here is a unit test: the stream goes over HTTP both ways.
"""
import re
import signal
import subprocess
import time

import pytest

from helpers.audio import (Listener, decode, listen, longest_silence, make_ogg, make_wav, ogg_is_valid, ogginfo,
                           peak_frequency, seconds_of_audio, write_config)
from helpers.processes import wait_until



def titles_in(streams):
    return [stream["comments"].get("TITLE") for stream in streams]


def test_icecast_fixture_reports_no_one_and_several_sources(icecast, run_onaird, tmp_path):
    # No source: status-json has no `source` key at all.
    assert "source" not in icecast.status()["icestats"]
    assert icecast.sources() == []
    # Two outputs: Icecast then reports an array; onaird feeds both from one source.
    config = write_config(tmp_path, icecast, "kind: tone",
                          outputs=["{ mount: /radio.ogg, format: vorbis, quality: 2 }",
                                   "{ mount: /live.ogg, format: vorbis, bitrate: 96 }"])
    daemon = run_onaird(config)
    wait_until(lambda: len(icecast.sources()) == 2, 20, what="two sources in status-json")
    assert isinstance(icecast.status()["icestats"]["source"], list)
    wait_until(lambda: icecast.source("/live.ogg").get("title") == "OnAir test tone 440 Hz", 10,
               what="the tone's title on /live.ogg")
    assert daemon.alive()


def test_tone_streams_valid_vorbis_at_its_pitch_with_changing_titles(icecast, run_onaird, tmp_path):
    config = write_config(tmp_path, icecast, "kind: tone\nfrequency: 440\ntitle_every: 2")
    daemon = run_onaird(config)
    icecast.wait_for_source("/radio.ogg")

    data = listen(icecast.mount_url("/radio.ogg"), 7, tmp_path / "heard.ogg")
    code, report, streams = ogginfo(tmp_path / "heard.ogg")
    assert ogg_is_valid(code, report), report
    assert streams and all(stream["type"] == "vorbis" for stream in streams), report
    titles = titles_in(streams)
    # A new logical bitstream for every title, each with its own comments.
    assert len(streams) >= 3, report
    assert all(re.fullmatch(r"Test tone #\d+", title or "") for title in titles), titles
    numbers = [int(title.split("#")[1]) for title in titles]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers))), titles
    assert all(stream["comments"].get("ENCODER") == "OnAir" for stream in streams)

    samples = decode(data)
    assert abs(peak_frequency(samples) - 440) < 5
    # Chaining a new logical stream per title leaves no gap in the sound.
    assert longest_silence(samples[2205:]) < 0.003

    # Icecast's status follows the chained stream's title.
    wait_until(lambda: re.fullmatch(r"Test tone #\d+", icecast.source("/radio.ogg").get("title", "")), 10,
               what="a tone title in Icecast's status")
    assert daemon.alive()


def test_mono_48khz_output_from_a_44khz_stereo_playlist(icecast, run_onaird, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    make_ogg(music / "stereo.ogg", 20, 440, title="Converted")
    config = write_config(tmp_path, icecast, f"kind: playlist\npath: {music}", audio="{ sample_rate: 48000, channels: 1 }",
                          outputs=["{ mount: /radio.ogg, format: vorbis, quality: 0 }"])
    run_onaird(config)
    icecast.wait_for_source("/radio.ogg")
    data = listen(icecast.mount_url("/radio.ogg"), 4, tmp_path / "heard.ogg")
    code, report, streams = ogginfo(tmp_path / "heard.ogg")
    assert ogg_is_valid(code, report), report
    assert "Channels: 1\nRate: 48000" in report, report
    assert abs(peak_frequency(decode(data, rate=48000), rate=48000) - 440) < 5


def test_stream_runs_at_real_time_not_in_a_burst(icecast, run_onaird, tmp_path):
    config = write_config(tmp_path, icecast, "kind: tone\nfrequency: 440")
    run_onaird(config)
    icecast.wait_for_source("/radio.ogg")
    time.sleep(2)  # let onaird's small lead and Icecast's burst settle
    with Listener(icecast.mount_url("/radio.ogg"), tmp_path / "heard.ogg") as listener:
        time.sleep(13)
    assert listener.error is None, listener.error
    data = listener.data()
    # Icecast sends a burst on connect; count the audio that arrived in the 10 s after it.
    start, end = listener.bytes_at(3), listener.bytes_at(13)
    assert start > 0 and end > start, listener.marks[-5:]
    received = seconds_of_audio(data[:end]) - seconds_of_audio(data[:start])
    assert 8 <= received <= 13, f"{received:.2f} s of audio arrived in 10 s"


def test_playlist_plays_tagged_tracks_gaplessly_and_skips_bad_files(icecast, run_onaird, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    make_ogg(music / "01_first.ogg", 3, 440, artist="Ana", title="First Light")
    good = (music / "01_first.ogg").read_bytes()
    (music / "02_corrupt.ogg").write_bytes(good[:300] + bytes(range(256)) * 40)
    (music / "03_notes.ogg").write_text("these are my notes, not audio\n")
    make_wav(music / "04_night-drive.wav", 3, 440, rate=48000, channels=1)  # resampled and upmixed
    (music / "cover.jpg").write_bytes(b"\xff\xd8 not looked at")

    config = write_config(tmp_path, icecast, f"kind: playlist\npath: {music}\nshuffle: false")
    daemon = run_onaird(config)
    icecast.wait_for_source("/radio.ogg")
    data = listen(icecast.mount_url("/radio.ogg"), 9, tmp_path / "heard.ogg")

    code, report, streams = ogginfo(tmp_path / "heard.ogg")
    assert ogg_is_valid(code, report), report
    titles = titles_in(streams)
    assert "First Light" in titles and "night drive" in titles, titles
    first = streams[titles.index("First Light")]["comments"]
    assert first.get("ARTIST") == "Ana"
    assert abs(peak_frequency(decode(data)) - 440) < 5

    log = daemon.output()
    skipped = [line for line in log.splitlines() if "skipping a file that cannot be played" in line]
    assert any("02_corrupt.ogg" in line for line in skipped), log
    assert any("03_notes.ogg" in line and "not an MP3, FLAC, Ogg Vorbis, Ogg Opus or WAV file" in line for line in skipped), log
    assert not any("cover.jpg" in line for line in log.splitlines())
    assert all(" warning " in line for line in skipped)
    assert daemon.alive()


def test_tracks_follow_each_other_without_a_gap(icecast, run_onaird, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    make_ogg(music / "a.ogg", 1.5, 440, title="One")
    make_wav(music / "b.wav", 1.5, 440, rate=22050, channels=1)
    config = write_config(tmp_path, icecast, f"kind: playlist\npath: {music}\nshuffle: false")
    run_onaird(config)
    icecast.wait_for_source("/radio.ogg")
    data = listen(icecast.mount_url("/radio.ogg"), 8, tmp_path / "heard.ogg")
    code, report, streams = ogginfo(tmp_path / "heard.ogg")
    assert len(streams) >= 4, report  # several track changes, each a new logical stream
    samples = decode(data)
    assert len(samples) > 4 * 44100
    # A 440 Hz sine is never quiet for more than a fraction of a millisecond; a gap would be.
    assert longest_silence(samples[2205:]) < 0.003


def test_dj_title_and_skip_reach_the_stream_and_icecast(icecast, run_onaird, bin_dir, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    for number in (1, 2, 3):
        make_ogg(music / f"{number}.ogg", 30, 330, artist="Band", title=f"Song {number}")
    config = write_config(tmp_path, icecast, f"kind: playlist\npath: {music}\nshuffle: false")
    run_onaird(config)
    icecast.wait_for_source("/radio.ogg")
    wait_until(lambda: icecast.source("/radio.ogg").get("title") == "Song 1", 10, what="the first song")
    socket = str(tmp_path / "onaird.sock")
    with Listener(icecast.mount_url("/radio.ogg"), tmp_path / "heard.ogg") as listener:
        time.sleep(1)
        subprocess.run([str(bin_dir / "onair"), "now", "--socket", socket, "DJ Sam - Live Set"], check=True, timeout=10)
        wait_until(lambda: icecast.source("/radio.ogg").get("title") == "Live Set", 5, what="the DJ's title in Icecast")
        assert icecast.source("/radio.ogg").get("artist") == "DJ Sam"
        subprocess.run([str(bin_dir / "onair"), "skip", "--socket", socket], check=True, timeout=10)
        wait_until(lambda: icecast.source("/radio.ogg").get("title") == "Song 2", 5, what="the next song after skip")
        time.sleep(1)
    code, report, streams = ogginfo(tmp_path / "heard.ogg")
    assert ogg_is_valid(code, report), report
    comments = [stream["comments"] for stream in streams]
    assert {"TITLE": "Live Set", "ARTIST": "DJ Sam", "ENCODER": "OnAir"} in comments, comments
    assert [c.get("TITLE") for c in comments][-2:] == ["Live Set", "Song 2"], comments


def test_empty_playlist_plays_silence_under_a_clear_title_then_picks_up_new_files(icecast, run_onaird, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    config = write_config(tmp_path, icecast, f"kind: playlist\npath: {music}\nshuffle: true")
    daemon = run_onaird(config)
    icecast.wait_for_source("/radio.ogg")
    wait_until(lambda: "nothing to play" in icecast.source("/radio.ogg").get("title", ""), 15,
               what="the silence title in Icecast's status")
    make_ogg(music / "new.ogg", 20, 440, artist="Late", title="Arrival")
    # Icecast shows an Ogg stream's TITLE and ARTIST comments as `title` and `artist`.
    wait_until(lambda: icecast.source("/radio.ogg").get("title") == "Arrival", 20, what="the new file on air")
    assert icecast.source("/radio.ogg").get("artist") == "Late"
    log = daemon.output()
    assert log.count("the playlist has nothing to play") == 1, log
    assert daemon.alive()


def test_reconnects_after_icecast_restarts_and_never_logs_the_password(icecast, run_onaird, tmp_path):
    config = write_config(tmp_path, icecast, "kind: tone\ntitle_every: 3")
    daemon = run_onaird(config)
    icecast.wait_for_source("/radio.ogg")
    icecast.stop()
    time.sleep(2)
    icecast.start()
    # Backoff 1, 2, 4 s: back within a few seconds of Icecast.
    restarted = time.monotonic()
    icecast.wait_for_source("/radio.ogg", timeout=12)
    assert time.monotonic() - restarted < 10
    # The new connection starts with headers: a listener gets a valid stream.
    listen(icecast.mount_url("/radio.ogg"), 4, tmp_path / "after.ogg")
    code, report, streams = ogginfo(tmp_path / "after.ogg")
    assert ogg_is_valid(code, report) and streams, report
    log = daemon.output()
    assert re.search(rf"sending to 127\.0\.0\.1:{icecast.port}/radio\.ogg: shout_send failed", log), log
    assert icecast.password not in log
    assert daemon.alive()


def test_wrong_password_names_the_mount_retries_and_hides_the_password(icecast, run_onaird, tmp_path):
    wrong = "wrong-" + icecast.password[::-1]
    config = write_config(tmp_path, icecast, "kind: tone", password=wrong)
    daemon = run_onaird(config)
    wait_until(lambda: daemon.output().count("refused the source login") >= 3, 15,
               what="three refused logins (1 s, 2 s backoff)")
    log = daemon.output()
    line = next(line for line in log.splitlines() if "refused the source login" in line)
    assert f"connecting to 127.0.0.1:{icecast.port}/radio.ogg" in line
    assert "SHOUTERR_NOLOGIN" in line and "retrying in" in line
    assert wrong not in log and icecast.password not in log
    assert icecast.sources() == []
    assert daemon.alive()


def test_a_refused_output_does_not_stall_the_other(icecast, run_onaird, tmp_path):
    config = write_config(tmp_path, icecast, "kind: tone",
                          outputs=["{ mount: /locked.ogg, format: vorbis, quality: 2 }",
                                   "{ mount: /radio.ogg, format: vorbis, quality: 2 }"])
    daemon = run_onaird(config)
    icecast.wait_for_source("/radio.ogg")
    time.sleep(2)
    with Listener(icecast.mount_url("/radio.ogg"), tmp_path / "heard.ogg") as listener:
        time.sleep(11)
    data = listener.data()
    start, end = listener.bytes_at(1), listener.bytes_at(11)
    received = seconds_of_audio(data[:end]) - seconds_of_audio(data[:start])
    assert 8 <= received <= 13, f"{received:.2f} s of audio arrived in 10 s"
    assert icecast.source("/locked.ogg") is None
    assert f"connecting to 127.0.0.1:{icecast.port}/locked.ogg: Icecast refused the source login" in daemon.output()


def test_sighup_switches_from_tone_to_playlist(icecast, run_onaird, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    make_ogg(music / "only.ogg", 20, 660, artist="After", title="Reload")
    config = write_config(tmp_path, icecast, "kind: tone")
    daemon = run_onaird(config)
    icecast.wait_for_source("/radio.ogg")
    wait_until(lambda: icecast.source("/radio.ogg").get("title") == "OnAir test tone 440 Hz", 10, what="the tone")
    write_config(tmp_path, icecast, f"kind: playlist\npath: {music}\nshuffle: false")
    daemon.signal(signal.SIGHUP)
    wait_until(lambda: icecast.source("/radio.ogg").get("title") == "Reload", 10, what="the playlist after SIGHUP")
    assert daemon.alive()


def test_icecast_down_at_start_is_waited_for(icecast, run_onaird, tmp_path):
    icecast.stop()
    config = write_config(tmp_path, icecast, "kind: tone")
    daemon = run_onaird(config)
    wait_until(lambda: "SHOUTERR_NOCONNECT" in daemon.output(), 10, what="a failed connection")
    icecast.start()
    icecast.wait_for_source("/radio.ogg", timeout=20)
    assert daemon.alive()


def test_missing_alsa_device_is_one_clear_line(icecast, run_onaird, tmp_path):
    config = write_config(tmp_path, icecast, "kind: alsa\ndevice: hw:9")
    daemon = run_onaird(config)
    wait_until(lambda: not daemon.alive(), 15, what="onaird to exit")
    assert daemon.proc.returncode != 0
    lines = [line for line in daemon.output().splitlines() if line.strip()]
    assert lines[-1] == "onaird: cannot open ALSA capture device 'hw:9': No such file or directory", lines
    assert not any("ALSA lib" in line for line in lines), lines  # ALSA's own stderr chatter is muted


def test_alsa_capture_is_clocked_by_the_device_and_keeps_the_pitch(icecast, run_onaird, pulse_clock, tmp_path):
    raw = tmp_path / "capture.raw"
    subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", "-e", "signed-integer", "-t", "raw",
                    str(raw), "synth", "60", "sine", "523.25", "vol", "0.5"], check=True, timeout=60)
    clock = pulse_clock(raw)
    config = write_config(tmp_path, icecast, "kind: alsa\ndevice: filein")
    daemon = run_onaird(config, env={"ALSA_CONFIG_PATH": clock.env["ALSA_CONFIG_PATH"],
                                 "PULSE_RUNTIME_PATH": clock.env["PULSE_RUNTIME_PATH"]})
    icecast.wait_for_source("/radio.ogg", timeout=20)
    time.sleep(2)
    with Listener(icecast.mount_url("/radio.ogg"), tmp_path / "heard.ogg") as listener:
        time.sleep(13)
    assert listener.error is None, listener.error
    data = listener.data()
    start, end = listener.bytes_at(3), listener.bytes_at(13)
    received = seconds_of_audio(data[:end]) - seconds_of_audio(data[:start])
    assert 8 <= received <= 13, f"{received:.2f} s of audio arrived in 10 s"
    assert abs(peak_frequency(decode(data)) - 523.25) < 5
    code, report, streams = ogginfo(tmp_path / "heard.ogg")
    assert ogg_is_valid(code, report) and streams, report
    assert daemon.alive()
