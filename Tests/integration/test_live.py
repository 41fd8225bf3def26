"""Live DJs (issue #13): a DJ sends to Icecast's hidden /dj mount with a real source client
(ffmpeg); onaird listens to it, puts it on every output with a crossfade and hands back to the
programme when the DJ leaves, stalls or goes silent. The programme is a 440 Hz tone, the DJ 880 Hz;
real listeners on /radio.opus, /radio.ogg and /radio.mp3 stay connected throughout."""
import re
import signal
import subprocess
import time
import urllib.parse
import urllib.request

import numpy

from helpers.audio import Listener, RATE, decode
from helpers.processes import wait_until

THREE = [{"mount": "/radio.opus", "format": "opus", "bitrate": 64},
         {"mount": "/radio.ogg", "format": "vorbis", "quality": 2},
         {"mount": "/radio.mp3", "format": "mp3", "bitrate": 128}]
LIVE = {"mount": "/dj", "stall_after": 2, "silence_after": 3, "fade": 1}


def dj(processes, icecast, tmp_path, *, audio="sine=frequency=880:sample_rate=48000", seconds=None,
       codec=("-c:a", "libopus", "-b:a", "96k"), muxer=("-content_type", "application/ogg", "-f", "ogg"),
       title="DJ Tune", artist="DJ Band", name="DJ Sam", password=None, log="dj.log"):
    """ffmpeg as a DJ's source client on /dj (a real Icecast source connection)."""
    args = ["ffmpeg", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", audio]
    if seconds:
        args += ["-t", str(seconds)]
    args += ["-ac", "2", *codec, "-metadata", f"title={title}", "-metadata", f"artist={artist}",
             "-ice_name", name, *muxer,
             f"icecast://source:{password or icecast.dj_password}@127.0.0.1:{icecast.port}/dj"]
    return processes(args, tmp_path / log)


def pitches(samples, window=0.25):
    """The dominant frequency of each `window` seconds (0 for silence)."""
    size = int(RATE * window)
    result = []
    for start in range(0, len(samples) - size, size):
        chunk = samples[start:start + size]
        if numpy.max(numpy.abs(chunk)) < 0.01:
            result.append(0)
            continue
        spectrum = numpy.abs(numpy.fft.rfft(chunk * numpy.hanning(size)))
        spectrum[:5] = 0
        result.append(round(int(numpy.argmax(spectrum)) / window))
    return result


def label(frequency):
    return 440 if abs(frequency - 440) < 30 else 880 if abs(frequency - 880) < 30 else 0


def runs(labels):
    """[(label, count)] of consecutive equal labels."""
    out = []
    for value in labels:
        if out and out[-1][0] == value:
            out[-1][1] += 1
        else:
            out.append([value, 1])
    return [tuple(item) for item in out]


def longest_quiet(samples, threshold=0.01):
    quiet = numpy.abs(samples) < threshold
    edges = numpy.diff(numpy.concatenate(([0], quiet.astype(numpy.int8), [0])))
    starts, ends = numpy.where(edges == 1)[0], numpy.where(edges == -1)[0]
    return float(numpy.max(ends - starts)) / RATE if len(starts) else 0.0


def start_station(onaird_factory, icecast, outputs=None, **live):
    daemon = onaird_factory(icecast, outputs=outputs or [THREE[1]], live={**LIVE, **live})
    daemon.start()
    for output in outputs or [THREE[1]]:
        icecast.wait_for_source(output["mount"])
    return daemon


def test_a_dj_is_heard_on_every_output_and_the_programme_comes_back(icecast, onaird_factory, processes, tmp_path):
    daemon = start_station(onaird_factory, icecast, outputs=THREE)
    listeners = [Listener(icecast.mount_url(o["mount"]), tmp_path / f"heard{o['mount'].replace('/', '-')}")
                 for o in THREE]
    for listener in listeners:
        listener.__enter__()
    try:
        time.sleep(3)
        started = time.monotonic()
        source = dj(processes, icecast, tmp_path, seconds=14)
        document = daemon.wait_nowplaying(lambda d: d["live"]["is_live"], 6, what="the DJ live")
        on_air = time.monotonic() - started
        document = daemon.wait_nowplaying(lambda d: (d["now_playing"] or {}).get("text") == "DJ Band - DJ Tune", 2,
                                          what="the DJ's title")
        title_at = time.monotonic() - started
        assert document["live"]["streamer"] == "DJ Sam" and document["live"]["since"]
        assert document["now_playing"]["artist"] == "DJ Band" and document["now_playing"]["title"] == "DJ Tune"
        # The DJ mount is hidden: listeners only know /radio.*; onaird's own listener is not counted.
        assert icecast.source("/dj") is None
        status = daemon.onair("status")
        assert "live input: DJ 'DJ Sam' on air since" in status.stdout, status.stdout
        source.proc.wait(timeout=20)
        left = time.monotonic()
        document = daemon.wait_nowplaying(lambda d: not d["live"]["is_live"], 5, what="the live state cleared")
        back_at = time.monotonic() - left
        assert document["now_playing"]["text"] == "OnAir test tone 440 Hz"
        assert [h["text"] for h in document["history"][:1]] == ["DJ Band - DJ Tune"]
        time.sleep(4)
    finally:
        for listener in listeners:
            listener.__exit__(None, None, None)
    print(f"\nDJ on air after {on_air:.2f} s, title after {title_at:.2f} s, back {back_at:.2f} s after the DJ left")
    assert "the DJ left (the stream ended)" in daemon.log()
    assert "back to the programme at" in daemon.onair("status").stdout
    for listener in listeners:
        # Connected throughout: no error, bytes kept coming to the end.
        assert listener.error is None, (listener.url, listener.error)
        assert listener.marks and listener.marks[-1][0] > 21, (listener.url, listener.marks[-1:])
        samples = decode(listener.path)
        labels = [label(f) for f in pitches(samples)]
        sequence = [value for value, count in runs(labels) if count >= 4]
        assert sequence[:3] == [440, 880, 440], (listener.url, runs(labels))
        assert sum(count for value, count in runs(labels) if value == 880) >= 20, (listener.url, runs(labels))
        quiet = longest_quiet(samples[RATE // 2:])
        print(f"{listener.url}: longest quiet run {quiet * 1000:.0f} ms, pitches {runs(labels)}")
        assert quiet < 0.2, (listener.url, quiet)


def test_an_mp3_dj_with_icy_titles(icecast, onaird_factory, processes, tmp_path):
    daemon = start_station(onaird_factory, icecast)
    dj(processes, icecast, tmp_path, seconds=20, codec=("-c:a", "libmp3lame", "-b:a", "128k"),
       muxer=("-content_type", "audio/mpeg", "-f", "mp3"), name="MP3 DJ")
    daemon.wait_nowplaying(lambda d: d["live"]["is_live"] and d["live"]["streamer"] == "MP3 DJ", 8, what="the MP3 DJ live")
    # A source client's song for MP3 goes to Icecast as admin/metadata (BUTT does this): ICY to readers.
    for song in ("First Artist - First Song", "Second Artist - Ünïcode <b>Song</b>"):
        query = urllib.parse.urlencode({"mount": "/dj", "mode": "updinfo", "song": song})
        request = urllib.request.Request(f"{icecast.url}/admin/metadata?{query}")
        request.add_header("Authorization", "Basic " + __import__("base64").b64encode(
            f"source:{icecast.dj_password}".encode()).decode())
        sent = time.monotonic()
        urllib.request.urlopen(request, timeout=5).read()
        daemon.wait_nowplaying(lambda d: (d["now_playing"] or {}).get("text") == song, 3, what=f"the ICY title {song}")
        print(f"\nICY title {song!r} in nowplaying.json after {time.monotonic() - sent:.2f} s")
    # Untrusted: control and bidi characters go, a long title is cut to 500 characters.
    hostile = "Evil\u202e\x07 Artist - " + "x" * 3000
    query = urllib.parse.urlencode({"mount": "/dj", "mode": "updinfo", "song": hostile})
    request = urllib.request.Request(f"{icecast.url}/admin/metadata?{query}")
    request.add_header("Authorization", "Basic " + __import__("base64").b64encode(
        f"source:{icecast.dj_password}".encode()).decode())
    urllib.request.urlopen(request, timeout=5).read()
    document = daemon.wait_nowplaying(lambda d: (d["now_playing"] or {}).get("artist") == "Evil Artist", 4,
                                      what="the cleaned hostile title")
    assert len(document["now_playing"]["text"]) <= 500 and "\u202e" not in document["now_playing"]["text"]
    assert document["live"]["is_live"]


def test_silence_from_the_dj_hands_back_after_silence_after(icecast, onaird_factory, processes, tmp_path):
    daemon = start_station(onaird_factory, icecast)
    # 4 s of tone, then digital silence.
    source = dj(processes, icecast, tmp_path, audio="sine=frequency=880:sample_rate=48000:duration=4,apad", seconds=30)
    daemon.wait_nowplaying(lambda d: d["live"]["is_live"], 8, what="the DJ live")
    went = time.monotonic()
    daemon.wait_nowplaying(lambda d: not d["live"]["is_live"], 12, what="the programme back after silence")
    print(f"\nback to the programme {time.monotonic() - went:.2f} s after going live (4 s tone + 3 s silence_after)")
    assert "the DJ's stream went silent (below -50 dBFS for 3 s)" in daemon.onair("status").stdout
    # Still silent: the DJ does not come back on air.
    time.sleep(3)
    assert not daemon.nowplaying()["live"]["is_live"]
    assert source.alive()


def test_a_dj_sending_only_silence_never_goes_on_air(icecast, onaird_factory, processes, tmp_path):
    daemon = start_station(onaird_factory, icecast)
    dj(processes, icecast, tmp_path, audio="anullsrc=r=48000:cl=stereo", seconds=30)
    time.sleep(6)
    assert not daemon.nowplaying()["live"]["is_live"]
    assert "DJ connected to the live mount" in daemon.log()


def test_a_stalled_dj_hands_back_after_stall_after(icecast, onaird_factory, processes, tmp_path):
    daemon = start_station(onaird_factory, icecast)
    source = dj(processes, icecast, tmp_path, seconds=60)
    daemon.wait_nowplaying(lambda d: d["live"]["is_live"], 8, what="the DJ live")
    source.signal(signal.SIGSTOP)
    stopped = time.monotonic()
    try:
        daemon.wait_nowplaying(lambda d: not d["live"]["is_live"], 8, what="the programme back after a stall")
        print(f"\nback to the programme {time.monotonic() - stopped:.2f} s after the DJ stalled (stall_after 2 s)")
        assert "the DJ's stream stalled (no data for 2 s)" in daemon.onair("status").stdout
        time.sleep(3)  # Icecast still holds the stalled source: onaird must not flap back on its old burst
        assert not daemon.nowplaying()["live"]["is_live"]
    finally:
        source.signal(signal.SIGCONT)


def test_a_wrong_dj_password_is_refused_by_icecast(icecast, onaird_factory, processes, tmp_path):
    daemon = start_station(onaird_factory, icecast)
    for password in ("wrong-password", icecast.password):  # nor does the station's source password open /dj
        source = dj(processes, icecast, tmp_path, seconds=5, password=password, log=f"dj-{len(password)}.log")
        assert source.proc.wait(timeout=20) != 0
    assert not daemon.nowplaying()["live"]["is_live"]


def test_an_undecodable_dj_stream_leaves_the_programme_on_with_one_log_line(icecast, onaird_factory, processes, tmp_path):
    daemon = start_station(onaird_factory, icecast)
    dj(processes, icecast, tmp_path, seconds=30, codec=("-c:a", "flac"))
    wait_until(lambda: "cannot be decoded" in daemon.log(), 8, what="the log line")
    time.sleep(4)
    lines = [line for line in daemon.log().splitlines() if "cannot be decoded" in line]
    assert len(lines) == 1, lines
    assert "FLAC in Ogg" in lines[0]
    document = daemon.nowplaying()
    assert not document["live"]["is_live"] and document["now_playing"]["text"] == "OnAir test tone 440 Hz"


def test_an_ogg_vorbis_dj_in_mono_at_22050_hz_with_a_title_sent_as_icecast_metadata(icecast, onaird_factory, processes,
                                                                                      tmp_path):
    """BUTT's way for Ogg: the song goes to Icecast's admin/metadata, which starts a chained logical
    stream with `title=` in what readers get; onaird reads it from there (no listener on /dj).
    Icecast repaginates the stream then: a bare sine at ~8 kbit/s took 4-5 s to fill its pages (a
    silent hole), so the tone has a little noise in it, as music would (~40 kbit/s)."""
    daemon = start_station(onaird_factory, icecast, outputs=[THREE[0]], stall_after=5)
    listener = Listener(icecast.mount_url("/radio.opus"), tmp_path / "heard.opus")
    with listener:
        dj(processes, icecast, tmp_path, seconds=20,
           audio="sine=frequency=880:sample_rate=22050[a];anoisesrc=r=22050:a=0.05[b];[a][b]amix=inputs=2[out0]",
           codec=("-ac", "1", "-c:a", "libvorbis", "-q:a", "3"), title="Mono Start", artist="Vorbis DJ")
        daemon.wait_nowplaying(lambda d: (d["now_playing"] or {}).get("text") == "Vorbis DJ - Mono Start", 8,
                               what="the Vorbis DJ's first title")
        query = urllib.parse.urlencode({"mount": "/dj", "mode": "updinfo", "song": "Next Artist - Next Song"})
        request = urllib.request.Request(f"{icecast.url}/admin/metadata?{query}")
        request.add_header("Authorization", "Basic " + __import__("base64").b64encode(
            f"source:{icecast.dj_password}".encode()).decode())
        sent = time.monotonic()
        urllib.request.urlopen(request, timeout=5).read()
        document = daemon.wait_nowplaying(lambda d: "Next Song" in ((d["now_playing"] or {}).get("text") or ""), 3,
                                          what="the chained stream's title")
        print(f"\nOgg title via admin/metadata in nowplaying.json after {time.monotonic() - sent:.2f} s: "
              f"{document['now_playing']}")
        time.sleep(4)
    # The title reached the listeners in the stream too (a chained Ogg Opus stream).
    data = listener.data()
    assert b"Next Song" in data and b"Mono Start" in data
    samples = decode(listener.path)
    labels = [label(f) for f in pitches(samples)]
    assert any(value == 880 and count >= 8 for value, count in runs(labels)), runs(labels)
    quiet = longest_quiet(samples[RATE // 2:-RATE // 2])
    print(f"longest quiet run {quiet * 1000:.0f} ms")
    assert quiet < 0.2


def test_garbage_sent_as_ogg_never_goes_on_air(icecast, onaird_factory, processes, tmp_path):
    import base64
    import os
    import socket
    daemon = start_station(onaird_factory, icecast)
    client = socket.create_connection(("127.0.0.1", icecast.port), timeout=5)
    auth = base64.b64encode(f"source:{icecast.dj_password}".encode()).decode()
    client.sendall(f"SOURCE /dj HTTP/1.0\r\nAuthorization: Basic {auth}\r\nContent-Type: application/ogg\r\n"
                   "ice-name: Garbage\r\n\r\n".encode())
    deadline = time.monotonic() + 6
    try:
        while time.monotonic() < deadline:
            client.sendall(b"OggS" + os.urandom(4000))
            time.sleep(0.1)
    except OSError:
        pass  # Icecast may hang up on it: fine too
    finally:
        client.close()
    assert not daemon.nowplaying()["live"]["is_live"]
    assert daemon.process.alive()
    assert daemon.nowplaying()["now_playing"]["text"] == "OnAir test tone 440 Hz"


def test_an_aac_dj_stream_is_refused_with_one_log_line(icecast, onaird_factory, processes, tmp_path):
    daemon = start_station(onaird_factory, icecast)
    dj(processes, icecast, tmp_path, seconds=20, codec=("-c:a", "aac", "-b:a", "96k"),
       muxer=("-content_type", "audio/aac", "-f", "adts"))
    wait_until(lambda: "cannot be decoded" in daemon.log(), 8, what="the log line")
    time.sleep(3)
    lines = [line for line in daemon.log().splitlines() if "cannot be decoded" in line]
    assert len(lines) == 1 and "AAC (audio/aac)" in lines[0], lines
    assert not daemon.nowplaying()["live"]["is_live"]


def test_a_dj_stream_with_a_huge_comment_header_is_dropped_and_the_programme_stays_on(icecast, onaird_factory, processes,
                                                                                      tmp_path):
    """A 3 MB Vorbis comment header (a decoder holds it whole in memory) is refused with one log line."""
    import base64
    import socket
    daemon = start_station(onaird_factory, icecast)
    metadata = tmp_path / "meta.txt"
    metadata.write_text(";FFMETADATA1\ntitle=" + "A" * (3 << 20) + "\n")
    stream = tmp_path / "huge.ogg"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=880:sample_rate=44100",
                    "-i", str(metadata), "-map_metadata", "1", "-t", "20", "-c:a", "libvorbis", "-b:a", "64k",
                    "-f", "ogg", str(stream)], check=True, timeout=60)
    data = stream.read_bytes()
    assert len(data) > 3 << 20
    client = socket.create_connection(("127.0.0.1", icecast.port), timeout=5)
    auth = base64.b64encode(f"source:{icecast.dj_password}".encode()).decode()
    client.sendall(f"SOURCE /dj HTTP/1.0\r\nAuthorization: Basic {auth}\r\nContent-Type: application/ogg\r\n"
                   "ice-name: Huge\r\n\r\n".encode())
    deadline = time.monotonic() + 12
    sent = 0
    try:
        while time.monotonic() < deadline and sent < len(data):
            client.sendall(data[sent:sent + (256 << 10)])
            sent += 256 << 10
            time.sleep(0.2)
    except OSError:
        pass  # Icecast may hang up on it: fine too
    try:
        wait_until(lambda: "without audio" in daemon.log(), 10, what="the log line")
    finally:
        client.close()
    lines = [line for line in daemon.log().splitlines() if "without audio" in line]
    assert len(lines) == 1 and "2 MB" in lines[0], lines
    assert not daemon.nowplaying()["live"]["is_live"]
    assert daemon.process.alive()
    assert daemon.nowplaying()["now_playing"]["text"] == "OnAir test tone 440 Hz"


def test_an_admin_ends_the_djs_connection_from_the_studio_and_a_reconnect_waits_for_the_hold(
        icecast, onaird_factory, processes, tmp_path, bin_dir, repo_root, browser):
    """The studio's "Take the DJ off air" button in Chromium (POST /api/studio/end-live, admins only,
    through nginx and onaird's control socket), with Icecast's admin login in onaird.yaml: a listener
    hears the programme again, the DJ's connection is ended, the studio says so and until when the DJ
    is held, the same stream name reconnecting within `end_hold` is ended again and never aired, and
    after the hold the DJ is back."""
    from helpers.api import PASSWORDS, ApiStack
    from helpers.browser import By
    daemon = onaird_factory(icecast, outputs=[THREE[1]], live={**LIVE, "end_hold": 10},
                            icecast={"admin_password_file": "./admin.password"})
    (daemon.folder / "admin.password").write_text(icecast.admin_password + "\n")
    daemon.start()
    icecast.wait_for_source("/radio.ogg")
    stack = ApiStack(tmp_path, bin_dir, repo_root, processes, control_socket=daemon.socket)
    admin, dj1 = stack.sign_in("ada"), stack.sign_in("dj1")
    status, _, body = stack.call("POST", "/api/studio/end-live", cookie=admin)
    assert (status, body["code"]) == (409, "onaird_refused") and "no DJ from the live mount is on air" in body["error"]
    source = dj(processes, icecast, tmp_path, seconds=60)
    daemon.wait_nowplaying(lambda d: d["live"]["is_live"], 8, what="the DJ live")
    status, _, body = stack.call("POST", "/api/studio/end-live", cookie=dj1)
    assert (status, body["code"]) == (403, "forbidden")
    # The admin's studio: confirm() says yes (and is recorded).
    browser.add_init_script("window.confirm = function (m) { window.__onair.alerts.push('confirm:' + m); return true; };")
    browser.get(stack.url + "studio/")
    wait_until(lambda: browser.visible("signin-form"), 15, interval=0.1, what="the sign-in form")
    browser.driver.find_element(By.ID, "signin-username").send_keys("ada")
    browser.driver.find_element(By.ID, "signin-password").send_keys(PASSWORDS["ada"] + "\n")
    wait_until(lambda: browser.visible("end-live-button"), 15, interval=0.2,
               what=f"the end-live button (live input: {browser.text('studio-live-input')!r})")
    assert browser.text("studio-live-input").startswith("DJ 'DJ Sam' on air since ")
    with Listener(icecast.mount_url("/radio.ogg"), tmp_path / "heard-end-live") as listener:
        time.sleep(3)
        browser.driver.find_element(By.ID, "end-live-button").click()
        ended_at = time.monotonic()
        wait_until(lambda: "their connection was ended" in (browser.text("action-status") or ""), 10, interval=0.1,
                   what=f"onaird's answer in the studio (reads {browser.text('action-status')!r})")
        assert browser.text("action-status") == ("the DJ goes off the air and the programme fades back in; "
                                                 "their connection was ended; they may not come back for 10 s")
        assert browser.alerts()[0].startswith("confirm:Take the DJ off the air?")
        daemon.wait_nowplaying(lambda d: not d["live"]["is_live"] and d["now_playing"]["text"] == "OnAir test tone 440 Hz",
                               3, what="the DJ off the air, the programme's title back")
        assert source.proc.wait(timeout=15) != 0  # Icecast ended the DJ's connection
        # The same DJ straight back: ended again, never aired.
        again = dj(processes, icecast, tmp_path, seconds=60, log="dj-again.log")
        assert again.proc.wait(timeout=15) != 0
        assert time.monotonic() - ended_at < 9
        assert not daemon.nowplaying()["live"]["is_live"]
    assert "a DJ taken off the air reconnected during the hold; their connection was ended" in daemon.log()
    status = daemon.onair("status").stdout
    assert "the DJ was taken off the air by ada" in status and "'DJ Sam' taken off the air, may come back after" in status, status
    wait_until(lambda: "'DJ Sam' taken off the air, may come back after" in (browser.text("studio-live-input") or ""), 10,
               interval=0.2, what=f"the hold in the studio (reads {browser.text('studio-live-input')!r})")
    assert not browser.visible("end-live-button")
    browser.screenshot("studio-dj-taken-off-the-air", full_page=True)
    labels = [label(f) for f in pitches(decode(listener.path))]
    sequence = [value for value, count in runs(labels) if count >= 4]
    assert sequence[-2:] == [880, 440] and labels[-12:] == [440] * 12, runs(labels)
    entries = stack.call("GET", "/api/audit", cookie=admin)[2]["entries"]
    assert any(e["actor"] == "ada" and e["action"] == "end-live" for e in entries), entries
    # After the hold: back by reconnecting.
    time.sleep(max(0.0, 10.5 - (time.monotonic() - ended_at)))
    dj(processes, icecast, tmp_path, seconds=20, log="dj-later.log")
    daemon.wait_nowplaying(lambda d: d["live"]["is_live"], 10, what="the DJ live again")
    assert icecast.admin_password not in daemon.log()
