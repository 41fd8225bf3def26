"""onaird end to end: a real Icecast2, the built onaird and onair, real listeners (curl, ffmpeg, ogginfo)."""
import datetime
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import time

import pytest

from helpers.processes import wait_until

WEEK = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def write_schedule(site: pathlib.Path):
    """Two shows a day in UTC: Morning 00:00-12:00 and Evening 12:00-00:00."""
    weekly = []
    for day in WEEK:
        weekly.append({"day": day, "start": "00:00", "end": "12:00", "show": "morning"})
        weekly.append({"day": day, "start": "12:00", "end": "00:00", "show": "evening"})
    document = {
        "schema": 1, "timezone": "UTC",
        "shows": {"morning": {"title": "Morning", "host": "Ann", "url": "/shows/morning/"},
                  "evening": {"title": "Evening", "host": None, "url": "/shows/evening/"}},
        "weekly": weekly, "specials": [], "upcoming": [],
    }
    (site / "schedule.json").write_text(json.dumps(document))


def capture(url, seconds, path, timeout=None):
    """Listens to `url` with curl for about `seconds` seconds; returns the bytes."""
    subprocess.run(["curl", "-s", "-o", str(path), "--max-time", str(seconds), url],
                   timeout=(timeout or seconds + 10))
    return path.read_bytes() if path.exists() else b""


def ogginfo(path):
    out = subprocess.run(["ogginfo", str(path)], capture_output=True, text=True, timeout=30)
    return out.stdout + out.stderr


def test_tone_publishes_nowplaying_with_show(icecast, onaird_factory):
    daemon = onaird_factory(icecast)
    write_schedule(daemon.site)
    daemon.start()
    document = daemon.wait_nowplaying(lambda d: d["online"] and d["now_playing"], what="online with a title")
    assert document["schema"] == 1
    assert document["interval"] == 1
    assert document["station"]["name"] == "Radio Test"
    assert document["station"]["listen_url"] == icecast.url + "/radio.ogg"
    assert document["station"]["mounts"][0]["url"] == icecast.url + "/radio.ogg"
    assert document["live"] == {"is_live": False, "streamer": None, "since": None}
    assert document["now_playing"]["text"]
    hour = datetime.datetime.now(datetime.timezone.utc).hour
    expected, following = ("Morning", "Evening") if hour < 12 else ("Evening", "Morning")
    assert document["show"]["title"] == expected
    assert document["next_show"]["title"] == following
    if expected == "Morning":
        assert document["show"]["host"] == "Ann"
    # The source shows up in Icecast's own status.
    assert icecast.wait_for_source("/radio.ogg")
    # The password is nowhere: not in the log, not in site/.
    for path in daemon.site.iterdir():
        assert icecast.password not in path.read_text(errors="replace"), path
    assert icecast.password not in daemon.log()


def test_onair_now_reaches_json_icecast_and_the_stream(icecast, onaird_factory, tmp_path):
    daemon = onaird_factory(icecast)
    daemon.start()
    daemon.wait_nowplaying(lambda d: d["online"], what="online")
    # Listen from before the change until after it.
    capture_path = tmp_path / "capture.ogg"
    listener = subprocess.Popen(["curl", "-s", "-o", str(capture_path), "--max-time", "7",
                                 icecast.url + "/radio.ogg"])
    try:
        time.sleep(2)
        result = daemon.onair("now", "Nina Simone - Feeling Good")
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "title set to 'Nina Simone - Feeling Good'"
        document = daemon.wait_nowplaying(lambda d: (d["now_playing"] or {}).get("title") == "Feeling Good",
                                          what="the new title in nowplaying.json")
        assert document["now_playing"]["artist"] == "Nina Simone"
        assert document["now_playing"]["text"] == "Nina Simone - Feeling Good"
        assert document["history"][0]["text"] != "Nina Simone - Feeling Good"
        # Icecast's status follows (it refreshes titles every few seconds).
        wait_until(lambda: "Feeling Good" in json.dumps(icecast.source("/radio.ogg")), 15,
                   what="the title in Icecast's status")
    finally:
        listener.wait(timeout=20)
    info = ogginfo(capture_path)
    assert "TITLE=Feeling Good" in info or "title=Feeling Good" in info, info
    assert "Nina Simone" in info, info


def test_onair_status_and_errors(icecast, onaird_factory, bin_dir, tmp_path):
    daemon = onaird_factory(icecast)
    daemon.start()
    daemon.wait_nowplaying(lambda d: d["online"], what="online")
    wait_until(lambda: "/radio.ogg" in daemon.onair("status").stdout.split("connected:")[1].split("\n")[0], 10,
               what="the connected mount in onair status")
    daemon.onair("now", "A - B")
    wait_until(lambda: "title:      A - B" in daemon.onair("status").stdout, 10, what="the title in onair status")
    lines = daemon.onair("status").stdout.splitlines()
    assert lines[0] == "source:     tone 440 Hz"
    assert lines[1] == "title:      A - B"
    assert lines[2] == "connected:  /radio.ogg"
    assert lines[3].startswith("listeners:  ")
    assert lines[4] == "status:     on air"
    assert lines[5].startswith("uptime:     ")
    raw = json.loads(daemon.onair("status", "--json").stdout)
    assert raw["ok"] is True
    assert raw["status"]["title"] == "A - B"
    assert raw["status"]["mounts"] == ["/radio.ogg"]
    # skip needs a playlist
    skip = daemon.onair("skip")
    assert skip.returncode == 1
    assert skip.stderr.strip() == "onair: nothing to skip: the source is tone 440 Hz (skip works with a playlist or a schedule)"
    # empty title
    empty = daemon.onair("now", "  ")
    assert empty.returncode == 1
    assert empty.stderr.strip() == 'onair: give the title: onair now "Artist - Title"'
    # no daemon at that socket
    missing = subprocess.run([str(bin_dir / "onair"), "status", "--socket", str(tmp_path / "none.sock")],
                             capture_output=True, text=True, timeout=10)
    assert missing.returncode == 1
    assert missing.stderr.strip() == \
        f"onair: cannot reach onaird at {tmp_path / 'none.sock'}: no such file or directory (is onaird running?)"
    # the default socket is ./onaird.sock, or $ONAIR_CONTROL_SOCKET
    default = subprocess.run([str(bin_dir / "onair"), "status"], capture_output=True, text=True, timeout=10,
                             cwd=str(tmp_path))
    assert default.stderr.strip() == \
        "onair: cannot reach onaird at ./onaird.sock: no such file or directory (is onaird running?)"
    via_env = subprocess.run([str(bin_dir / "onair"), "status"], capture_output=True, text=True, timeout=10,
                             env={**os.environ, "ONAIR_CONTROL_SOCKET": str(daemon.socket)})
    assert via_env.returncode == 0, via_env.stderr
    # the socket is private
    assert (daemon.socket.stat().st_mode & 0o777) == 0o600


def test_listener_count_rises_while_a_client_listens(icecast, onaird_factory, tmp_path):
    daemon = onaird_factory(icecast)
    daemon.start()
    daemon.wait_nowplaying(lambda d: d["online"], what="online")
    listener = subprocess.Popen(["curl", "-s", "-o", os.devnull, "--max-time", "20", icecast.url + "/radio.ogg"])
    try:
        document = daemon.wait_nowplaying(lambda d: d["listeners"]["current"] >= 1, timeout=15,
                                          what="a listener in nowplaying.json")
        assert document["station"]["mounts"][0]["listeners"] >= 1
        assert document["listeners"]["peak"] >= 1
    finally:
        listener.kill()
        listener.wait(timeout=5)
    document = daemon.wait_nowplaying(lambda d: d["listeners"]["current"] == 0, timeout=15, what="the listener gone")
    assert document["listeners"]["peak"] >= 1


def test_icecast_killed_and_restarted(icecast, onaird_factory):
    daemon = onaird_factory(icecast)
    daemon.start()
    daemon.wait_nowplaying(lambda d: d["online"], what="online")
    daemon.onair("now", "Before - Crash")
    daemon.wait_nowplaying(lambda d: (d["now_playing"] or {}).get("text") == "Before - Crash", what="the title")
    icecast.kill()
    document = daemon.wait_nowplaying(lambda d: not d["online"], timeout=15, what="offline after the kill")
    assert document["now_playing"]["text"] == "Before - Crash"  # the last title is kept
    time.sleep(3)
    assert daemon.process.alive(), daemon.log()
    status = daemon.onair("status")
    assert "status:     offline" in status.stdout
    icecast.start()
    restarted = time.monotonic()
    # Backoff is capped at 30 s; after a few seconds down the next attempt is due within ~8 s.
    daemon.wait_nowplaying(lambda d: d["online"], timeout=35, what="online again after the restart")
    icecast.wait_for_source("/radio.ogg", timeout=5)
    assert time.monotonic() - restarted < 35
    assert daemon.process.alive()
    assert "Icecast does not answer" in daemon.log()
    assert "Icecast answers again" in daemon.log()


def test_dj_on_the_live_mount_makes_it_live(icecast, onaird_factory, processes, tmp_path):
    daemon = onaird_factory(icecast, icecast={"listener_mount": "/live.ogg"})
    daemon.start()
    document = daemon.wait_nowplaying(lambda d: d["online"] and d["now_playing"], what="online via the fallback")
    own_title = document["now_playing"]["text"]
    assert document["live"]["is_live"] is False
    assert document["station"]["listen_url"] == icecast.url + "/live.ogg"
    dj = processes(["ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "sine=frequency=660:sample_rate=44100",
                    "-c:a", "libvorbis", "-content_type", "audio/ogg", "-ice_name", "DJ Sam",
                    "-metadata", "title=Live Set", "-f", "ogg",
                    f"icecast://source:{icecast.password}@127.0.0.1:{icecast.port}/live.ogg"],
                   tmp_path / "dj.log")
    document = daemon.wait_nowplaying(lambda d: d["live"]["is_live"], timeout=20, what="live")
    assert document["live"]["streamer"] == "DJ Sam"
    assert document["live"]["since"]
    document = daemon.wait_nowplaying(lambda d: (d["now_playing"] or {}).get("text") == "Live Set", timeout=20,
                                      what="the DJ's title")
    assert document["online"] is True
    dj.stop()
    document = daemon.wait_nowplaying(lambda d: not d["live"]["is_live"], timeout=20, what="back from live")
    assert document["live"] == {"is_live": False, "streamer": None, "since": None}
    assert document["online"] is True
    assert document["now_playing"]["text"] == own_title
    assert any(entry["text"] == "Live Set" for entry in document["history"])


def test_wrong_password_is_named_and_retried(icecast, onaird_factory):
    daemon = onaird_factory(icecast)
    daemon.password_file.write_text("not-the-password\n")
    daemon.start()
    wait_until(lambda: daemon.log().count("retrying in") >= 3, 20, what="three connection attempts (1 s, 2 s, 4 s apart)")
    assert daemon.process.alive()
    log = daemon.log()
    failures = [line for line in log.splitlines() if "retrying in" in line]
    assert failures and all("/radio.ogg" in line and "password" in line for line in failures), log
    assert "retrying in 1 s" in log and "retrying in 2 s" in log
    assert "not-the-password" not in log
    assert icecast.password not in log
    assert icecast.source("/radio.ogg") is None
    document = daemon.nowplaying()
    assert document["online"] is False
    assert "not-the-password" not in daemon.nowplaying_path.read_text()


@pytest.mark.parametrize("text, line", [
    ("site: ./site\ninterval: 5\nintervall: 5\n", "onaird: {path}:3: unknown key 'intervall' (did you mean 'interval'?)"),
    ("interval: soon\n", "onaird: {path}:1: 'interval' must be a whole number of seconds from 1 to 3600, not 'soon'"),
    ("source:\n  kind: radio\n", "onaird: {path}:2: 'source.kind' must be schedule, playlist, alsa or tone, not 'radio'"),
])
def test_bad_config_exits_1_with_one_line(bin_dir, tmp_path, text, line):
    config = tmp_path / "onaird.yaml"
    config.write_text(text)
    result = subprocess.run([str(bin_dir / "onaird"), "--config", str(config)], capture_output=True, text=True,
                            timeout=20, env={**os.environ, "ONAIR_SOURCE_PASSWORD": "x"})
    assert result.returncode == 1
    assert result.stderr.strip() == line.format(path=config)
    assert not (tmp_path / "onaird.sock").exists()
    assert not (tmp_path / "site").exists()


def test_unreadable_password_file(bin_dir, tmp_path):
    config = tmp_path / "onaird.yaml"
    config.write_text("icecast:\n  password_file: ./missing.password\n")
    result = subprocess.run([str(bin_dir / "onaird"), "--config", str(config)], capture_output=True, text=True,
                            timeout=20, env={k: v for k, v in os.environ.items() if k != "ONAIR_SOURCE_PASSWORD"})
    assert result.returncode == 1
    assert result.stderr.strip() == \
        f"onaird: cannot read password file {tmp_path / 'missing.password'}: no such file or directory"


def test_sigterm_leaves_an_offline_document(icecast, onaird_factory):
    daemon = onaird_factory(icecast)
    daemon.start()
    daemon.wait_nowplaying(lambda d: d["online"], what="online")
    assert daemon.terminate() == 0
    document = daemon.nowplaying()
    assert document["online"] is False
    assert document["schema"] == 1
    assert not daemon.socket.exists()
    wait_until(lambda: icecast.source("/radio.ogg") is None, 10, what="the source gone from Icecast")


def test_unwritable_site_is_logged_and_the_stream_continues(icecast, onaird_factory):
    daemon = onaird_factory(icecast, site="./no/such/folder")
    daemon.start()
    icecast.wait_for_source("/radio.ogg")
    time.sleep(3)
    assert daemon.process.alive()
    log = daemon.log()
    assert log.count("cannot update nowplaying.json") == 1, log
    assert "no such file or directory" in log


def test_notify_socket_gets_ready_and_status(icecast, onaird_factory, tmp_path):
    path = tmp_path / "notify.sock"
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(str(path))
    receiver.settimeout(1)
    messages = []
    try:
        daemon = onaird_factory(icecast)
        daemon.start(env={"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "2000000"})

        def received(text):
            try:
                messages.append(receiver.recv(4096).decode())
            except socket.timeout:
                pass
            return any(text in m for m in messages)

        wait_until(lambda: received("READY=1"), 15, what="READY=1")
        wait_until(lambda: received("WATCHDOG=1"), 5, what="WATCHDOG=1")
        wait_until(lambda: received("STATUS=streaming to /radio.ogg"), 15, what="STATUS=streaming")
        assert daemon.terminate() == 0
        wait_until(lambda: received("STOPPING=1"), 5, what="STOPPING=1")
    finally:
        receiver.close()


def test_systemd_analyze_verify_passes_for_every_unit(repo_root, bin_dir, tmp_path):
    units = sorted((repo_root / "deploy").glob("*.service"))
    assert units, "no units in deploy/"
    for unit in units:
        text = unit.read_text()
        for name in ("onaird", "onair", "onair-api"):
            if (bin_dir / name).exists():
                text = text.replace(f"/usr/bin/{name} ", f"{bin_dir / name} ")
        # onair-icecast.service's helper is installed by the package; here it is the repo's copy.
        text = text.replace("/usr/lib/onair/onair-icecast-config ", f"{repo_root / 'deploy' / 'onair-icecast-config'} ")
        copy = tmp_path / unit.name
        copy.write_text(text)
        # --man=no: the units name their man pages, which exist once the package is installed.
        result = subprocess.run(["systemd-analyze", "verify", "--man=no", str(copy)], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0, f"{unit.name}:\n{result.stdout}{result.stderr}"


def test_deploy_icecast_example_has_a_hidden_dj_mount_and_no_fallback(repo_root):
    import xml.etree.ElementTree as ET
    root = ET.parse(repo_root / "deploy" / "icecast.xml").getroot()
    mounts = {m.findtext("mount-name"): m for m in root.findall("mount")}
    assert set(mounts) == {"/radio.opus", "/radio.ogg", "/radio.mp3", "/dj"}
    assert mounts["/dj"].findtext("hidden") == "1"
    assert mounts["/dj"].findtext("password") == "CHANGE-ME-dj-password"
    assert not any(m.find("fallback-mount") is not None for m in mounts.values())
    assert "CHANGE-ME" in root.find("authentication").findtext("source-password")


def test_deploy_onaird_yaml_is_accepted(repo_root, bin_dir, tmp_path):
    result = subprocess.run([str(bin_dir / "onaird"), "--config", str(repo_root / "deploy" / "onaird.yaml"), "--check"],
                            capture_output=True, text=True, timeout=20,
                            env={**os.environ, "ONAIR_SOURCE_PASSWORD": "example", "ONAIR_ADMIN_PASSWORD": "example"})
    assert result.returncode == 0, result.stderr
    assert "is usable" in result.stdout


def test_sighup_reloads_and_a_bad_reload_keeps_running(icecast, onaird_factory):
    daemon = onaird_factory(icecast)
    daemon.start()
    daemon.wait_nowplaying(lambda d: d["online"], what="online")
    daemon.config["station_name"] = "Radio Reloaded"
    daemon.write_config()
    daemon.process.signal(signal.SIGHUP)
    daemon.wait_nowplaying(lambda d: d["station"]["name"] == "Radio Reloaded", what="the new station name")
    daemon.config_path.write_text("intervall: 5\n")
    daemon.process.signal(signal.SIGHUP)
    wait_until(lambda: "config not reloaded" in daemon.log(), 10, what="the refused reload in the log")
    assert "unknown key 'intervall'" in daemon.log()
    assert daemon.process.alive()
    daemon.wait_nowplaying(lambda d: d["online"] and d["station"]["name"] == "Radio Reloaded", what="still streaming")


def test_onair_skip_plays_the_next_track(icecast, onaird_factory, tmp_path):
    music = tmp_path / "music"
    music.mkdir()
    for name, frequency in (("first", 330), ("second", 550)):
        subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", "-e", "signed-integer",
                        str(music / f"{name}.wav"), "synth", "30", "sine", str(frequency)], check=True, timeout=30)
    daemon = onaird_factory(icecast, source={"kind": "playlist", "path": str(music), "shuffle": False})
    daemon.start()
    first = daemon.wait_nowplaying(lambda d: d["online"] and d["now_playing"], what="the first track")
    result = daemon.onair("skip")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "skipped to the next track"
    second = daemon.wait_nowplaying(lambda d: d["now_playing"]["text"] != first["now_playing"]["text"],
                                    what="the next track")
    assert second["history"][0]["text"] == first["now_playing"]["text"]


def test_missing_alsa_device_is_one_clear_line(bin_dir, tmp_path):
    config = tmp_path / "onaird.yaml"
    config.write_text("source:\n  kind: alsa\n  device: nosuchdevice\n")
    result = subprocess.run([str(bin_dir / "onaird"), "--config", str(config)], capture_output=True, text=True,
                            timeout=20, env={**os.environ, "ONAIR_SOURCE_PASSWORD": "x"})
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("onaird:")]
    assert lines == ["onaird: cannot open ALSA capture device 'nosuchdevice': No such file or directory"], result.stderr
    assert not (tmp_path / "onaird.sock").exists()


def test_a_crash_leaves_a_socket_the_next_start_replaces(icecast, onaird_factory):
    daemon = onaird_factory(icecast)
    daemon.start()
    daemon.wait_nowplaying(lambda d: d["online"], what="online")
    os.killpg(daemon.process.pid, signal.SIGKILL)
    daemon.process.proc.wait(timeout=5)
    assert daemon.socket.exists()
    # A crash leaves `online: true` behind; the next onaird takes over the socket and the document.
    daemon.start()
    wait_until(lambda: daemon.onair("status").returncode == 0, 10, what="onair status on the new daemon")
    assert "replacing a stale control socket" in daemon.log()
    wait_until(lambda: icecast.source("/radio.ogg"), 30, what="the new daemon's source on /radio.ogg")


def test_alsa_capture_is_live_with_the_djs_title(icecast, onaird_factory, pulse_clock, tmp_path):
    raw = tmp_path / "live.raw"
    subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", "-e", "signed-integer", "-t", "raw", str(raw),
                    "synth", "60", "sine", "523"], check=True, timeout=60)
    clock = pulse_clock(raw)
    daemon = onaird_factory(icecast, source={"kind": "alsa", "device": "filein"})
    environment = {k: v for k, v in clock.env.items() if k.startswith(("PULSE_", "ALSA_"))}
    daemon.start(env=environment)
    document = daemon.wait_nowplaying(lambda d: d["online"] and d["live"]["is_live"], timeout=30,
                                      what="online and live from the ALSA capture")
    assert document["live"]["streamer"] == "Radio Test"
    assert document["live"]["since"]
    result = daemon.onair("now", "DJ Ann - Opening Track")
    assert result.returncode == 0, result.stderr
    document = daemon.wait_nowplaying(lambda d: (d["now_playing"] or {}).get("title") == "Opening Track",
                                      what="the DJ's title")
    assert document["now_playing"]["artist"] == "DJ Ann"
    assert document["live"]["is_live"] is True
    assert "source:     alsa filein" in daemon.onair("status").stdout
