"""The real `onair-api` behind the real nginx (the config `onair nginx-config --api` generates).

`api_stack()` builds the example site, keeps a hand-written nowplaying.json fresh (or lets a real
onaird write it), starts `onair-api` with its own data folder and creates staff accounts through
`onair user add` (password on stdin). Everything is stopped by PID at teardown.
"""
import datetime
import http.client
import json
import os
import pathlib
import signal
import subprocess
import threading
import time
import urllib.parse

import pytest

from helpers.browser import Browser
from helpers.nginx import Nginx, build_site, free_port, request
from helpers.processes import wait_until

PASSWORDS = {"ada": "admin-secret-1", "dj1": "dj-secret-123"}


class ApiNginx(Nginx):
    """nginx from `onair nginx-config ... --api URL`."""

    def __init__(self, *args, api_url=None, **kwargs):
        self.api_url = api_url
        super().__init__(*args, **kwargs)

    def generate(self) -> str:
        args = [str(self.bin_dir / "onair"), "nginx-config", "--site", str(self.site_dir),
                "--listen", f"127.0.0.1:{self.port}", "--icecast", self.icecast_url,
                "--output", str(self.prefix / "onair.conf")]
        if self.api_url:
            args += ["--api", self.api_url]
        out = subprocess.run(args, capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, f"onair nginx-config failed: {out.stderr}"
        return (self.prefix / "onair.conf").read_text()


class OnAirAPI:
    """One `onair-api` process with its config in `folder`; restartable on the same port and data."""

    def __init__(self, bin_dir, folder, processes, site, control_socket, public_origin):
        self.bin_dir = pathlib.Path(bin_dir)
        self.folder = pathlib.Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.processes = processes
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = self.folder / "data"
        self.config_path = self.folder / "onair-api.yaml"
        self.config_path.write_text(
            f"listen: 127.0.0.1:{self.port}\ndata_dir: ./data\nsite: {site}\n"
            f"control_socket: {control_socket}\npublic_origin: {public_origin}\n")
        self.process = None
        self.starts = 0

    def start(self):
        self.starts += 1
        environment = {k: v for k, v in os.environ.items() if k != "STATE_DIRECTORY"}
        self.process = self.processes([str(self.bin_dir / "onair-api"), "--config", str(self.config_path)],
                                      self.folder / f"onair-api-{self.starts}.log", env=environment, cwd=str(self.folder))

        def answers():
            assert self.process.alive(), f"onair-api exited:\n{self.log()}"
            status, _, _ = request(self.url + "/api/me", timeout=1)
            return status == 200
        wait_until(answers, 20, interval=0.1, what="onair-api to answer /api/me")
        return self

    def kill(self):
        """SIGKILL: no clean shutdown at all."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.proc.wait(timeout=10)

    def log(self):
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.folder.glob("onair-api-*.log")))

    def user(self, *args, password=None, timeout=60):
        """`onair user ARGS --data-dir DATA` with `password` as stdin's first line."""
        return subprocess.run([str(self.bin_dir / "onair"), "user", *args, "--data-dir", str(self.data_dir)],
                              input=(password + "\n") if password is not None else "", capture_output=True,
                              text=True, timeout=timeout)


def iso(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def nowplaying_document(title="Morning Drift", artist="Sine Quartet", interval=5):
    now = datetime.datetime.now(datetime.timezone.utc)
    return {
        "schema": 1, "updated_at": iso(now), "interval": interval,
        "station": {"name": "Radio Example", "listen_url": "http://127.0.0.1:8000/radio.ogg",
                    "mounts": [{"url": "http://127.0.0.1:8000/radio.ogg", "format": "vorbis", "bitrate": 128, "listeners": 3}]},
        "online": True, "live": {"is_live": False, "streamer": None, "since": None},
        "listeners": {"current": 3, "peak": 7},
        "now_playing": {"artist": artist, "title": title, "text": f"{artist} - {title}",
                        "started_at": iso(now), "duration": None},
        "show": None, "next_show": None, "history": [],
    }


class NowPlayingFile:
    """Rewrites site/nowplaying.json atomically every `interval` seconds, like onaird."""

    def __init__(self, site, interval=5):
        self.path = pathlib.Path(site) / "nowplaying.json"
        self.interval = interval
        self.title = "Morning Drift"
        self.stop_event = threading.Event()
        self.write()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def write(self):
        # Raw UTF-8 like onaird's encoder (U+2028 and friends stay unescaped in the file).
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(nowplaying_document(self.title, interval=self.interval), indent=2, ensure_ascii=False),
                       encoding="utf-8")
        os.replace(tmp, self.path)

    def run(self):
        while not self.stop_event.wait(self.interval):
            self.write()

    def stop(self):
        self.stop_event.set()
        self.thread.join(timeout=5)


class ApiStack:
    def __init__(self, tmp_path, bin_dir, repo_root, processes, control_socket=None, site=None, icecast_url="http://127.0.0.1:9"):
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.site = site or build_site(bin_dir, repo_root, tmp_path / "site", self.origin)
        self.api = OnAirAPI(bin_dir, tmp_path / "api", processes, self.site,
                            control_socket or (tmp_path / "no-onaird.sock"), self.origin).start()
        for name, role in (("ada", "admin"), ("dj1", "dj")):
            result = self.api.user("add", name, "--role", role, password=PASSWORDS[name])
            assert result.returncode == 0, result.stderr
        self.nginx = ApiNginx(bin_dir, tmp_path / "nginx", self.site, icecast_url, self.port, api_url=self.api.url).start()
        self.url = self.nginx.url

    def call(self, method, path, body=None, origin="same", cookie=None, raw=None, headers=None, direct=False):
        """(status, headers, parsed JSON or bytes) for a request through nginx (or, `direct`, to
        onair-api itself from loopback, as nginx connects: then `X-Real-IP` names the client).
        Every state change is sent as JSON, like the pages do; a `Content-Type` in `headers` wins."""
        fields = {"Content-Type": "application/json"} if method != "GET" else {}
        fields.update(headers or {})
        if origin == "same":
            fields["Origin"] = self.origin
        elif origin:
            fields["Origin"] = origin
        if cookie:
            fields["Cookie"] = cookie
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            fields.setdefault("Content-Type", "application/json")
        fields = {k: v for k, v in fields.items() if v is not None}
        connection = http.client.HTTPConnection("127.0.0.1", self.api.port if direct else self.port, timeout=10)
        try:
            connection.request(method, path, body=data, headers=fields)
            response = connection.getresponse()
            payload = response.read()
            answer_headers = {k.lower(): v for k, v in response.getheaders()}
            set_cookies = [v for k, v in response.getheaders() if k.lower() == "set-cookie"]
            answer_headers["set-cookie-all"] = set_cookies
        finally:
            connection.close()
        try:
            parsed = json.loads(payload)
        except ValueError:
            parsed = payload
        return response.status, answer_headers, parsed

    def sign_in(self, name):
        status, headers, body = self.call("POST", "/api/session", {"username": name, "password": PASSWORDS[name]})
        assert status == 200, body
        return headers["set-cookie"].split(";")[0]


@pytest.fixture
def api_stack(tmp_path, bin_dir, repo_root, processes):
    """onair-api + nginx over the example site with a hand-written nowplaying.json (no onaird)."""
    for name in ("onair-api",):
        if not (bin_dir / name).exists():
            pytest.fail(f"{bin_dir / name} is missing: run `swift build` first")
    site = build_site(bin_dir, repo_root, tmp_path / "site", "http://127.0.0.1")
    writer = NowPlayingFile(site)
    stack = ApiStack(tmp_path, bin_dir, repo_root, processes, site=site)
    stack.nowplaying = writer
    try:
        yield stack
    finally:
        writer.stop()
        stack.nginx.stop()


@pytest.fixture
def browsers():
    """`browsers()` -> a new headless Chromium; all are quit at teardown."""
    started = []

    def make():
        instance = Browser()
        started.append(instance)
        return instance

    yield make
    for instance in started:
        instance.quit()
