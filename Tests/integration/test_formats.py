"""One onaird, three outputs (Opus, Vorbis, MP3) on a real Icecast2, heard by real listeners
(curl + ffmpeg, an ICY-metadata reader, VLC); a playlist of MP3/FLAC/Opus/Vorbis/WAV files with bad
ones among them. Test audio is made with sox, lame, flac, opusenc and oggenc in tmp_path."""
import json
import re
import subprocess
import threading

from helpers.audio import (Listener, decode, listen, make_ogg, make_wav, ogg_is_valid, ogginfo, peak_frequency,
                           write_config)
from helpers.nginx import build_site, free_port
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
    # OpusHead records the rate libopusenc was fed (the station's 44.1 kHz; Opus itself codes at 48 kHz).
    assert (opus_entry["server_type"], opus_entry["subtype"], opus_entry["samplerate"]) == ("audio/ogg", "Opus", 44100)

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


def broken_id3(audio):
    """An ID3v2.4 tag whose one frame claims more bytes than the tag holds, then the MP3 audio."""
    frame = b"TIT2" + bytes([0x7F, 0x7F, 0x7F, 0x7F]) + b"\0\0" + b"\x03garbage title"
    body = frame + bytes(200 - len(frame))
    size = bytes([(len(body) >> 21) & 0x7F, (len(body) >> 14) & 0x7F, (len(body) >> 7) & 0x7F, len(body) & 0x7F])
    return b"ID3\x04\x00\x00" + size + body + audio


def test_a_playlist_of_every_format_plays_in_order_with_titles_and_bad_files_warned_once(icecast, run_onaird,
                                                                                         tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    make_mp3(music / "01.mp3", 2, artist="Ana", title="MP3 Song")
    whole = make_mp3(tmp_path / "whole.mp3", 3, title="Cut Short").read_bytes()
    (music / "02_cut.mp3").write_bytes(whole[: len(whole) * 55 // 100 + 7])  # ends in the middle of a frame
    plain = make_mp3(tmp_path / "plain.mp3", 2).read_bytes()
    (music / "03_broken-tag.mp3").write_bytes(broken_id3(plain))
    make_flac(music / "04.flac", 2, artist="Bo", title="FLAC Song")
    bad_sum = bytearray(make_flac(tmp_path / "sum.flac", 2, title="Bad Sum").read_bytes())
    assert bad_sum[:4] == b"fLaC"
    bad_sum[26:42] = b"\xab" * 16  # STREAMINFO's MD5 of the audio: now wrong (all zeros would mean "none")
    (music / "05_bad-sum.flac").write_bytes(bytes(bad_sum))
    (music / "06_empty.mp3").write_bytes(b"")
    (music / "07_notes.mp3").write_text("a text file, not an MP3\n")
    make_opus(music / "08.opus", 2, artist="Cy", title="Opus Song")
    make_ogg(music / "09.ogg", 2, artist="Di", title="Vorbis Song")
    make_wav(music / "10_last-one.wav", 2, rate=48000, channels=1)  # mono 48 kHz: up-mixed and resampled

    config = write_config(tmp_path, icecast, f"kind: playlist\npath: {music}\nshuffle: false", outputs=THREE)
    daemon = run_onaird(config)
    wait_until(lambda: len(icecast.sources()) == 3, 20, what="three sources")
    # One round is about 15 s: listen to more than one, then find the whole round in order.
    vorbis, (_, mp3_titles, mp3_audio) = in_threads(
        lambda: listen(icecast.mount_url("/radio.ogg"), 22, tmp_path / "heard.ogg"),
        lambda: icy_titles(icecast.mount_url("/radio.mp3"), 22))
    code, report, streams = ogginfo(tmp_path / "heard.ogg")
    assert ogg_is_valid(code, report), report
    heard = [s["comments"].get("TITLE") for s in streams]
    round_ = ["MP3 Song", "Cut Short", "broken tag", "FLAC Song", "Bad Sum", "Opus Song", "Vorbis Song", "last one"]
    assert _one_round_in_order(heard, round_), heard
    artists = {s["comments"].get("TITLE"): s["comments"].get("ARTIST") for s in streams}
    assert (artists["MP3 Song"], artists["FLAC Song"], artists["Opus Song"], artists["Vorbis Song"]) == ("Ana", "Bo", "Cy", "Di")
    # The MP3 mount's ICY titles follow the same order.
    assert _one_round_in_order(mp3_titles, ["Ana - MP3 Song", "Cut Short", "broken tag", "Bo - FLAC Song", "Bad Sum",
                                            "Cy - Opus Song", "Di - Vorbis Song", "last one"]), mp3_titles
    assert abs(peak_frequency(decode(vorbis)) - 440) < 5
    assert abs(peak_frequency(decode(mp3_audio)) - 440) < 5

    log = daemon.output()
    warnings = [line for line in log.splitlines() if " warning " in line]
    # Every good file plays without a word.
    assert not [line for line in warnings if re.search(r"/(01|04|08|09|10_last-one)\.", line)], warnings
    for name, reason in (("02_cut.mp3", "the file ends early (truncated?)"),
                         ("03_broken-tag.mp3", "the ID3v2 tag is damaged or empty; the title comes from the file name"),
                         ("05_bad-sum.flac", "MD5"), ("06_empty.mp3", "the file is empty"),
                         ("07_notes.mp3", "not an MP3, FLAC, Ogg Vorbis, Ogg Opus or WAV file")):
        lines = [line for line in warnings if name in line]
        # Once per round: the round was heard at least once and at most twice.
        assert 1 <= len(lines) <= 2 and all(reason in line for line in lines), (name, lines, log)
    assert daemon.alive()


def _one_round_in_order(heard, round_):
    """True when `heard` (titles as listeners got them) holds every title of `round_` in order, as a
    stretch of the playlist repeating."""
    deduped = [t for i, t in enumerate(heard) if i == 0 or t != heard[i - 1]]
    cycle = round_ * 4
    text = "\n".join(cycle)
    return len(set(deduped) & set(round_)) == len(round_) and "\n".join(deduped[1:-1]) in text


def test_browser_takes_the_first_source_it_can_play_and_plays_opus(icecast, run_onaird, nginx_factory, browser,
                                                                  bin_dir, repo_root, tmp_path):
    port = free_port()
    site = build_site(bin_dir, repo_root, tmp_path / "site", f"http://127.0.0.1:{port}")
    config = write_config(tmp_path / "daemon", icecast, "kind: tone", outputs=THREE)
    run_onaird(config)
    wait_until(lambda: len(icecast.sources()) == 3, 20, what="three sources")
    server = nginx_factory(site, icecast_url=icecast.url, port=port)

    # Without JavaScript the page lists the sources in order of preference; the fallback link is MP3.
    index = (site / "index.html").read_text()
    assert re.search(r'<source src="/stream/radio.opus" type="audio/ogg; codecs=opus">\s*'
                     r'<source src="/stream/radio.ogg" type="audio/ogg; codecs=vorbis">\s*'
                     r'<source src="/stream/radio.mp3" type="audio/mpeg">', index), index
    assert '<a href="/stream/radio.mp3">Listen to the stream</a>' in index
    m3u = (site / "listen.m3u").read_text().splitlines()
    assert m3u[2] == f"http://127.0.0.1:{port}/stream/radio.mp3", m3u  # "open in player": MP3 first
    assert "File1=http://127.0.0.1:{}/stream/radio.mp3".format(port) in (site / "listen.pls").read_text()

    browser.get(server.url)
    found = browser.js("""
        var audio = document.getElementById('player-audio');
        return Array.prototype.map.call(audio.querySelectorAll('source'),
            function (s) { return [s.getAttribute('src'), s.type, audio.canPlayType(s.type)]; });""")
    assert [(src, kind) for src, kind, _ in found] == [
        ("/stream/radio.opus", "audio/ogg; codecs=opus"), ("/stream/radio.ogg", "audio/ogg; codecs=vorbis"),
        ("/stream/radio.mp3", "audio/mpeg")]
    assert all(answer in ("probably", "maybe") for _, _, answer in found), found
    browser.js("document.getElementById('play-button').click();")
    wait_until(lambda: browser.js("return document.getElementById('player-audio').currentTime;") > 2, 20,
               interval=0.25, what="Chromium to play the stream")
    assert "/stream/radio.opus?" in browser.js("return document.getElementById('player-audio').currentSrc;")


def test_player_moves_on_to_the_next_source_when_one_mount_is_down(icecast, run_onaird, nginx_factory, browser,
                                                                     bin_dir, repo_root, tmp_path):
    port = free_port()
    site = build_site(bin_dir, repo_root, tmp_path / "site", f"http://127.0.0.1:{port}")
    # No Opus output: /stream/radio.opus answers 404, the page still offers it first.
    config = write_config(tmp_path / "daemon", icecast, "kind: tone", outputs=THREE[1:])
    run_onaird(config)
    wait_until(lambda: len(icecast.sources()) == 2, 20, what="two sources")
    server = nginx_factory(site, icecast_url=icecast.url, port=port)
    browser.get(server.url)
    browser.js("document.getElementById('play-button').click();")
    wait_until(lambda: browser.js("return document.getElementById('player-audio').currentTime;") > 2, 30,
               interval=0.25, what="Chromium to play the next source")
    assert "/stream/radio.ogg?" in browser.js("return document.getElementById('player-audio').currentSrc;")
    assert browser.text("player-state") == "Playing"
