"""The whole station, for real: Icecast2 + onaird (a 440 Hz tone) + nginx with the generated config,
listened to by headless Chromium and by VLC; and `scripts/station up|down` on ports of its own."""
import datetime
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import time
import wave

import numpy
import pytest

from helpers.browser import By
from helpers.onaird import three_mount_tone_config
from helpers.nginx import build_site, free_port, request
from helpers.processes import wait_until

TONE_TITLE = "OnAir test tone 440 Hz"
MEDIA_ERROR = "var e = document.getElementById('player-audio').error; return e && [e.code, e.message];"


class Stack:
    def __init__(self, icecast, nginx, onaird, site, config, bin_dir, socket):
        self.icecast, self.nginx, self.onaird = icecast, nginx, onaird
        self.site, self.config, self.bin_dir, self.socket = site, config, bin_dir, socket

    def nowplaying(self):
        try:
            return json.loads((self.site / "nowplaying.json").read_text())
        except (OSError, ValueError):
            return None

    def onair(self, *args):
        return subprocess.run([str(self.bin_dir / "onair"), *args, "--socket", str(self.socket)],
                              capture_output=True, text=True, timeout=15)


@pytest.fixture
def stack(tmp_path, bin_dir, repo_root, icecast, nginx_factory, processes):
    port = free_port()
    site = build_site(bin_dir, repo_root, tmp_path / "site", f"http://127.0.0.1:{port}")
    socket = tmp_path / "onaird.sock"
    config = three_mount_tone_config(tmp_path, site, icecast, port, socket)
    onaird = processes([str(bin_dir / "onaird"), "--config", str(config)], tmp_path / "onaird.log")
    icecast.wait_for_source("/radio.ogg", timeout=30)
    icecast.wait_for_source("/radio.opus", timeout=30)  # the example site's player prefers Opus
    server = nginx_factory(site, icecast_url=icecast.url, port=port)
    stack = Stack(icecast, server, onaird, site, config, bin_dir, socket)
    wait_until(lambda: (stack.nowplaying() or {}).get("online") is True, 20, interval=0.3,
               what="nowplaying.json to say online")
    return stack


def current_time(browser):
    return browser.js("return document.getElementById('player-audio').currentTime;")


def press_play(browser):
    browser.driver.find_element(By.ID, "play-button").click()


def wait_playing(browser, timeout=30):
    start = wait_until(lambda: current_time(browser) > 0.5 and current_time(browser), timeout, interval=0.25,
                       what=f"the audio to play (state {browser.text('player-state')!r}, media error "
                            f"{browser.js(MEDIA_ERROR)})")
    wait_until(lambda: current_time(browser) > start + 1.5, 10, interval=0.25, what="currentTime to advance")
    assert browser.js("return document.getElementById('player-audio').error;") is None


def test_audio_plays_through_nginx_and_page_shows_the_daemons_title(browser, stack):
    browser.get(stack.nginx.url)
    wait_until(lambda: browser.text("np-title") == TONE_TITLE, 15, interval=0.3,
               what=f"the daemon's title on the page (reads {browser.text('np-title')!r})")
    assert browser.text("np-badge") == "On air"
    src_before = browser.js("return document.getElementById('player-audio').getAttribute('src');")
    assert src_before is None  # preload none: nothing streams before play
    press_play(browser)
    wait_playing(browser)
    src = browser.js("return document.getElementById('player-audio').currentSrc;")
    assert src.startswith(stack.nginx.url + "stream/radio.opus"), src  # the first <source> Chromium plays
    assert browser.text("player-state") == "Playing"
    # Icecast counts the browser: the page shows it within a few polls.
    wait_until(lambda: browser.text("np-listeners") in ("1 listener", "2 listeners"), 20, interval=0.5,
               what=f"the listener count (reads {browser.text('np-listeners')!r}; nowplaying.json "
                    f"{(stack.nowplaying() or {}).get('listeners')}, Icecast {stack.icecast.source('/radio.ogg')})")
    assert browser.csp_violations() == []


def test_page_follows_onair_now(browser, stack):
    browser.get(stack.nginx.url)
    wait_until(lambda: browser.text("np-title") == TONE_TITLE, 15, interval=0.3, what="the tone title")
    result = stack.onair("now", "Night Owls Live - Call-in Hour")
    assert result.returncode == 0, result.stderr
    wait_until(lambda: browser.text("np-title") == "Call-in Hour", 10, interval=0.3,
               what=f"the new title on the page (reads {browser.text('np-title')!r})")
    assert browser.text("np-artist") == "Night Owls Live"
    assert browser.text("np-announce") == "Now playing: Night Owls Live – Call-in Hour"
    hostile = "<img src=x onerror=alert(1)>"
    assert stack.onair("now", hostile).returncode == 0
    wait_until(lambda: browser.text("np-title") == hostile, 10, interval=0.3, what="the hostile title as text")
    assert browser.js("return document.querySelectorAll('img[src=\"x\"]').length;") == 0
    assert browser.alerts() == []


def test_icecast_outage_shows_reconnecting_and_recovers_without_reload(browser, stack):
    browser.get(stack.nginx.url)
    press_play(browser)
    wait_playing(browser)
    browser.js("window.__sameDocument = 42;")
    stack.icecast.stop()
    wait_until(lambda: browser.text("player-state").startswith("Reconnecting"), 30, interval=0.3,
               what=f"'Reconnecting…' (state {browser.text('player-state')!r})")
    wait_until(lambda: browser.text("np-badge") in ("Off air", "Status unknown"), 20, interval=0.3,
               what=f"the badge to leave 'On air' (reads {browser.text('np-badge')!r})")
    browser.screenshot("player-reconnecting-desktop", full_page=False)
    time.sleep(2)
    stack.icecast.start()
    stack.icecast.wait_for_source("/radio.ogg", timeout=45)
    wait_until(lambda: browser.text("player-state") == "Playing", 60, interval=0.5,
               what=f"playback to recover (state {browser.text('player-state')!r})")
    before = current_time(browser)
    wait_until(lambda: current_time(browser) > before + 1.5, 15, interval=0.25, what="currentTime to advance again")
    wait_until(lambda: browser.text("np-badge") == "On air", 20, interval=0.5, what="the badge back to 'On air'")
    assert browser.js("return window.__sameDocument;") == 42  # no reload happened


def test_vlc_plays_listen_m3u_through_nginx(stack, tmp_path):
    cvlc = shutil.which("cvlc")
    assert cvlc, "VLC is missing: scripts/install-deps installs vlc-bin and vlc-plugin-base"
    status, headers, body = request(stack.nginx.url + "listen.m3u")
    assert status == 200 and headers["content-type"] == "audio/x-mpegurl"
    assert f"{stack.nginx.url}stream/radio.ogg".encode() in body
    # VLC refuses to run as root: then it runs as nobody, in a folder that user can write.
    work = pathlib.Path(tempfile.mkdtemp(prefix="onair-vlc-"))
    work.chmod(0o777)
    out = work / "vlc.wav"
    as_user = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
    try:
        result = subprocess.run(
            [*as_user, "env", f"HOME={work}", cvlc, "-I", "dummy", "--no-video", "--aout=afile",
             f"--audiofile-file={out}", "--audiofile-format=s16", "--audiofile-channels=2", "--run-time=6",
             stack.nginx.url + "listen.m3u", "vlc://quit"],
            capture_output=True, text=True, timeout=60)
        if out.exists():
            shutil.copy(out, tmp_path / "vlc.wav")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = tmp_path / "vlc.wav"
    assert out.exists() and out.stat().st_size > 44100, f"VLC decoded no audio:\n{result.stderr[-2000:]}"
    with wave.open(str(out)) as w:
        rate, channels = w.getframerate(), w.getnchannels()
        frames = numpy.frombuffer(w.readframes(w.getnframes()), dtype=numpy.int16)
    mono = frames.reshape(-1, channels).astype(float).mean(axis=1)
    mono = mono[len(mono) // 4:]  # skip the start
    assert len(mono) > rate, "less than a second of audio"
    spectrum = numpy.abs(numpy.fft.rfft(mono * numpy.hanning(len(mono))))
    peak = numpy.fft.rfftfreq(len(mono), 1 / rate)[spectrum.argmax()]
    assert abs(peak - 440) < 5, f"VLC heard {peak:.1f} Hz, not the station's 440 Hz tone"


def test_station_script_up_twice_then_down_leaves_nothing(tmp_path, bin_dir, repo_root):
    http_port, icecast_port = free_port(), free_port()
    env = dict(os.environ, ONAIR_HTTP_PORT=str(http_port), ONAIR_ICECAST_PORT=str(icecast_port),
               ONAIR_RUN_DIR=str(tmp_path / "run"), ONAIR_SITE_DIR=str(tmp_path / "site"),
               ONAIR_MUSIC_DIR=str(tmp_path / "music"), ONAIR_DEMO_SECONDS="12", ONAIR_BIN_DIR=str(bin_dir),
               ONAIR_SKIP_DEPS="1")
    script = repo_root / "scripts" / "station"
    run = tmp_path / "run"

    def pids():
        found = {}
        for name in ("icecast", "onaird", "nginx"):
            path = run / f"{name}.pid"
            if path.exists():
                found[name] = int(path.read_text())
        return found

    try:
        first = subprocess.run([str(script), "up"], env=env, capture_output=True, text=True, timeout=300)
        assert first.returncode == 0, first.stdout + first.stderr
        assert f"http://127.0.0.1:{http_port}/" in first.stdout
        assert "scripts/station down" in first.stdout
        started = pids()
        assert set(started) == {"icecast", "onaird", "nginx"}
        assert oct((run / "source.password").stat().st_mode & 0o777) == "0o600"
        # Icecast's log folder is private (mktemp, 0700, nobody's when root), never world-writable.
        logdir = pathlib.Path((run / "icecast.logdir").read_text().strip())
        assert f"<logdir>{logdir}</logdir>" in (run / "icecast.xml").read_text()
        assert logdir.stat().st_mode & 0o777 == 0o700 and (logdir / "error.log").exists()
        assert not pathlib.Path(f"/tmp/onair-icecast-{icecast_port}").exists()
        status, _, body = request(f"http://127.0.0.1:{http_port}/")
        assert status == 200 and b"player" in body
        # The demo is schedule-driven: two demo specials within minutes, their show folders, IDs.
        assert "kind: schedule" in (run / "onaird.yaml").read_text()
        # Every airing is recorded into run/recordings, which the build reads and nginx serves.
        assert f"record: {{ dir: {run / 'recordings'}, format: opus" in (run / "onaird.yaml").read_text()
        assert (run / "recordings").is_dir()
        assert f"alias {run / 'recordings'}/;" in (run / "nginx" / "onair.conf").read_text()
        for folder, least in (("rotation", 5), ("night-owls", 2), ("harbour-mix", 2), ("ids", 2)):
            assert len(list((run / "programme" / folder).glob("*.ogg"))) >= least, folder
        schedule = json.loads((tmp_path / "site" / "schedule.json").read_text())
        demo = [s for s in schedule["specials"] if "(demo)" in (s.get("title") or "")]
        assert [s["show"] for s in demo] == ["night-owls", "harbour-mix"], schedule["specials"]
        assert "Night Owls, 3 minutes later" in first.stdout
        # The DJ mount: hidden, a password of its own (in a 0600 file, never printed), BUTT's settings.
        dj_password = (run / "dj.password").read_text().strip()
        assert oct((run / "dj.password").stat().st_mode & 0o777) == "0o600"
        assert "<mount-name>/dj</mount-name>" in (run / "icecast.xml").read_text()
        assert "<hidden>1</hidden>" in (run / "icecast.xml").read_text()
        assert "live: { mount: /dj" in (run / "onaird.yaml").read_text()
        assert f"port {icecast_port}, type Icecast" in first.stdout and "mount /dj, user source" in first.stdout
        assert f"{run}/dj.password" in first.stdout and dj_password not in first.stdout + first.stderr
        second = subprocess.run([str(script), "up"], env=env, capture_output=True, text=True, timeout=300)
        assert second.returncode == 0, second.stdout + second.stderr
        restarted = pids()
        wait_until(lambda: json.loads((tmp_path / "site" / "nowplaying.json").read_text()).get("online"), 30,
                   interval=0.5, what="the station's nowplaying.json to say online")
        state = subprocess.run([str(script), "status"], env=env, capture_output=True, text=True, timeout=30)
        assert state.returncode == 0, state.stdout
        # dj-test: a "DJ" takes over every mount, then the programme comes back.
        dj_test = subprocess.Popen([str(script), "dj-test"], env=dict(env, ONAIR_DJ_TEST_SECONDS="8"),
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        nowplaying = tmp_path / "site" / "nowplaying.json"
        wait_until(lambda: json.loads(nowplaying.read_text())["live"]["is_live"], 15, interval=0.3,
                   what="the dj-test DJ on air")
        output, _ = dj_test.communicate(timeout=30)
        assert dj_test.returncode == 0 and dj_password not in output, output
        wait_until(lambda: not json.loads(nowplaying.read_text())["live"]["is_live"], 15, interval=0.3,
                   what="the programme back after dj-test")
        every = set(started.values()) | set(restarted.values())
    finally:
        down = subprocess.run([str(script), "down"], env=env, capture_output=True, text=True, timeout=60)
    assert down.returncode == 0, down.stdout + down.stderr
    for pid in every:
        assert not pathlib.Path(f"/proc/{pid}").exists() or \
            pathlib.Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z", f"pid {pid} still runs"
    for port in (http_port, icecast_port):
        assert request_fails(f"http://127.0.0.1:{port}/"), f"port {port} still answers"
    assert not logdir.exists(), f"{logdir} is left behind"
    again = subprocess.run([str(script), "down"], env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "nothing was running" in again.stdout


def test_station_script_with_api_proxies_it_and_stops_it(tmp_path, bin_dir, repo_root):
    """ONAIR_API=1: onair-api runs behind the same nginx at /api/, and `down` stops it too."""
    http_port, icecast_port, api_port = free_port(), free_port(), free_port()
    env = dict(os.environ, ONAIR_HTTP_PORT=str(http_port), ONAIR_ICECAST_PORT=str(icecast_port),
               ONAIR_API_PORT=str(api_port), ONAIR_API="1",
               ONAIR_RUN_DIR=str(tmp_path / "run"), ONAIR_SITE_DIR=str(tmp_path / "site"),
               ONAIR_MUSIC_DIR=str(tmp_path / "music"), ONAIR_DEMO_SECONDS="12", ONAIR_BIN_DIR=str(bin_dir),
               ONAIR_SKIP_DEPS="1")
    script = repo_root / "scripts" / "station"
    api_pid = None
    try:
        up = subprocess.run([str(script), "up"], env=env, capture_output=True, text=True, timeout=300)
        assert up.returncode == 0, up.stdout + up.stderr
        assert f"http://127.0.0.1:{http_port}/studio/" in up.stdout
        api_pid = int((tmp_path / "run" / "api.pid").read_text())
        status, _, body = request(f"http://127.0.0.1:{http_port}/api/me")
        assert status == 200
        me = json.loads(body)
        assert me["user"] is None and me["chat"]["max_length"] == 500
        state = subprocess.run([str(script), "status"], env=env, capture_output=True, text=True, timeout=30)
        assert f"onair-api running (pid {api_pid})" in state.stdout
    finally:
        down = subprocess.run([str(script), "down"], env=env, capture_output=True, text=True, timeout=60)
    assert down.returncode == 0, down.stdout + down.stderr
    assert api_pid is not None
    assert not pathlib.Path(f"/proc/{api_pid}").exists() or \
        pathlib.Path(f"/proc/{api_pid}/stat").read_text().split()[2] == "Z", "onair-api still runs"
    assert request_fails(f"http://127.0.0.1:{api_port}/api/me")


def request_fails(url):
    try:
        request(url, timeout=2)
        return False
    except OSError:
        return True


def test_deploy_nginx_config_is_the_commands_output_and_nginx_accepts_it(tmp_path, bin_dir, repo_root):
    args = [str(bin_dir / "onair"), "nginx-config", "--site", "/srv/onair/site", "--listen", "80",
            "--server-name", "radio.example", "--recordings", "/srv/onair/recordings"]
    printed = subprocess.run(args, capture_output=True, timeout=30)
    assert printed.returncode == 0, printed.stderr
    committed = (repo_root / "deploy" / "nginx-onair.conf").read_bytes()
    assert printed.stdout == committed, "deploy/nginx-onair.conf is stale: regenerate it with `make nginx-config`"
    written = subprocess.run(args + ["--output", str(tmp_path / "onair.conf")], capture_output=True, timeout=30)
    assert written.returncode == 0 and written.stdout == b""
    assert (tmp_path / "onair.conf").read_bytes() == committed
    (tmp_path / "temp").mkdir()
    (tmp_path / "nginx.conf").write_text(f"""pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {tmp_path}/temp/body;
    proxy_temp_path {tmp_path}/temp/proxy;
    fastcgi_temp_path {tmp_path}/temp/fastcgi;
    uwsgi_temp_path {tmp_path}/temp/uwsgi;
    scgi_temp_path {tmp_path}/temp/scgi;
    include {repo_root}/deploy/nginx-onair.conf;
}}
""")
    checked = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                             capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


@pytest.mark.parametrize("flag, value, message", [
    ("--listen", "127.0.0.1:80 default", "--listen takes one address such as 127.0.0.1:8080 or 80, not '127.0.0.1:80 default'"),
    ("--icecast", "localhost:8000", "--icecast must be an http:// or https:// URL such as http://127.0.0.1:8000, not 'localhost:8000'"),
    ("--server-name", "a;b", "--server-name must not contain quotes, ';', '{', '}' or line breaks: 'a;b'"),
])
def test_nginx_config_refuses_bad_values(bin_dir, flag, value, message):
    result = subprocess.run([str(bin_dir / "onair"), "nginx-config", flag, value], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 64
    assert result.stderr.splitlines()[0] == f"Error: {message}"
    assert result.stdout == ""


SYNC_PROBE = """
var audio = document.getElementById('player-audio'), context = new AudioContext();
var source = context.createMediaElementSource(audio), analyser = context.createAnalyser();
analyser.fftSize = 2048; source.connect(analyser); analyser.connect(context.destination);
window.__sync = { heard: [], shown: [], delays: [] };
var bins = new Float32Array(analyser.frequencyBinCount), last = null, lastTitle = null;
setInterval(function () {
  analyser.getFloatFrequencyData(bins);
  var top = 1;
  for (var i = 1; i < bins.length; i++) if (bins[i] > bins[top]) top = i;
  var hz = top * context.sampleRate / analyser.fftSize;
  var tone = bins[top] < -60 ? null : hz > 660 ? 'high' : 'low';
  if (tone && tone !== last) { window.__sync.heard.push([tone, Date.now()]); last = tone; }
  var title = document.getElementById('np-title').textContent;
  if (title !== lastTitle) { window.__sync.shown.push([title, Date.now()]); lastTitle = title; }
  if (window.onairListenerDelay) window.__sync.delays.push([Date.now(), window.onairListenerDelay()]);
}, 20);
"""


@pytest.fixture
def two_tones(tmp_path, bin_dir, repo_root, icecast, nginx_factory, processes):
    """onaird playing a 16 s 440 Hz track ("low") then an 880 Hz one ("high") to Icecast (Opus),
    nginx serving the example site for it. Returns (site, nginx, started)."""
    music = tmp_path / "music"
    music.mkdir()
    for name, hz in (("01_low.wav", 440), ("02_high.wav", 880)):
        subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", "-e", "signed-integer", str(music / name),
                        "synth", "16", "sine", str(hz), "vol", "0.5"], check=True, timeout=30)
    port = free_port()
    site = build_site(bin_dir, repo_root, tmp_path / "site", f"http://127.0.0.1:{port}")
    password = tmp_path / "source.password"
    password.write_text(icecast.password + "\n")
    config = tmp_path / "onaird.yaml"
    config.write_text(f"""site: {site}
interval: 1
control_socket: {tmp_path / "onaird.sock"}
icecast: {{ url: {icecast.url}, user: source, password_file: {password}, listener_mount: /radio.opus }}
outputs:
  - {{ mount: /radio.opus, format: opus, bitrate: 64 }}
audio: {{ sample_rate: 44100, channels: 2 }}
source: {{ kind: playlist, path: {music}, shuffle: false }}
""")
    processes([str(bin_dir / "onaird"), "--config", str(config)], tmp_path / "onaird.log")
    icecast.wait_for_source("/radio.opus", timeout=30)
    server = nginx_factory(site, icecast_url=icecast.url, port=port)
    started = time.time()
    wait_until(lambda: json.loads((site / "nowplaying.json").read_text()).get("online") is True, 20, interval=0.3,
               what="nowplaying.json to say online")
    return site, server, started


def test_title_changes_when_the_listener_hears_them(two_tones, browser):
    """A 440 Hz track then an 880 Hz one through Icecast (Opus) and nginx into Chromium: the page
    shows the new title within 1 s of the moment the tone changes in what the browser plays
    (an AnalyserNode on the player's <audio>), though the stream head changed seconds earlier."""
    site, server, started = two_tones
    browser.get(server.url)
    wait_until(lambda: browser.visible("play-button"), 10, interval=0.2, what="the play button")
    browser.js(SYNC_PROBE)
    browser.driver.find_element(By.ID, "play-button").click()

    def changed_to_high():
        sync = browser.js("return window.__sync;")
        return [t for tone, t in sync["heard"][1:] if tone == "high"] and [t for title, t in sync["shown"] if title == "high"]
    wait_until(changed_to_high, 45, interval=0.5, what="the 880 Hz track to be heard and its title shown")
    sync = browser.js("return window.__sync;")
    heard = [t for tone, t in sync["heard"][1:] if tone == "high"][0]
    shown = [t for title, t in sync["shown"] if title == "high"][0]
    head = json.loads((site / "nowplaying.json").read_text())["now_playing"]["started_at"]
    changed = datetime.datetime.strptime(head, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp() * 1000
    delay = [d for t, d in sync["delays"] if t <= heard and d > 0][-1]
    print(f"title-sync: shown - heard = {shown - heard} ms; heard - started_at = {heard - changed} ms"
          f" (started_at has whole seconds); the page's listener delay then {delay:.2f} s;"
          f" test took {time.time() - started:.0f} s")
    assert abs(shown - heard) <= 1000, f"the title showed {shown - heard} ms from when the tone changed"


def test_embed_plays_in_a_page_of_another_origin(two_tones, browser, tmp_path, bin_dir):
    """A partner's page on a second nginx port frames /embed/: play there gives sound (the audio
    clock runs) and the title; the player page itself refuses to be framed."""
    import re
    from helpers.nginx import Nginx
    site, server, _ = two_tones
    partner_site = tmp_path / "partner"
    partner_site.mkdir()
    (partner_site / "index.html").write_text(
        f'<!doctype html><title>Partner</title><h1>Partner blog</h1>'
        f'<iframe id="widget" src="{server.url}embed/" title="Radio" width="360" height="96" allow="autoplay"></iframe>'
        f'<iframe id="page" src="{server.url}" title="Page" width="360" height="200"></iframe>')
    partner = Nginx(bin_dir, tmp_path / "partner-nginx", partner_site)
    conf = partner.prefix / "onair.conf"
    conf.write_text(re.sub(r"\n *add_header Content-Security-Policy[^\n]*", "", conf.read_text()))
    partner.start()
    try:
        browser.get(partner.url)
        driver = browser.driver
        driver.switch_to.frame(driver.find_element(By.ID, "widget"))
        wait_until(lambda: browser.text("embed-title") in ("low", "high"), 15, interval=0.2, what="the embed's title")
        driver.find_element(By.ID, "embed-play").click()
        clock = "return document.getElementById('embed-audio').currentTime;"
        wait_until(lambda: browser.js(clock) > 1.0, 20, interval=0.2, what="the framed player to play")
        first = browser.js(clock)
        time.sleep(2)
        assert browser.js(clock) - first > 1.5, "the framed player's audio does not advance"
        driver.switch_to.default_content()
        driver.switch_to.frame(driver.find_element(By.ID, "page"))
        assert browser.js("return document.getElementById('player')") is None, "the player page was framed"
    finally:
        partner.stop()
