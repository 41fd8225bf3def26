"""A private, real nginx on a free 127.0.0.1 port serving a site with the config `onair nginx-config`
generates, started per test and always stopped by PID."""
import os
import pathlib
import shutil
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from helpers.processes import Managed, wait_until

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

MAIN = """user {user};
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    sendfile on;
    client_body_temp_path {prefix}/temp/body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
    include {prefix}/onair.conf;
}}
"""


def free_port() -> int:
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    """nginx for `site_dir`, proxying /stream/ to `icecast_url`; `url` is http://127.0.0.1:PORT/."""

    def __init__(self, bin_dir: pathlib.Path, workdir: pathlib.Path, site_dir: pathlib.Path,
                 icecast_url: str = "http://127.0.0.1:9", port: int | None = None,
                 recordings: pathlib.Path | None = None):
        self.bin_dir = pathlib.Path(bin_dir)
        self.prefix = pathlib.Path(workdir)
        (self.prefix / "temp").mkdir(parents=True, exist_ok=True)
        self.site_dir = pathlib.Path(site_dir)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.icecast_url = icecast_url
        self.recordings = recordings
        self.process: Managed | None = None
        self.config_text = self.generate()
        # Workers run as the test's user: tmp_path (0700, owned by root) is not readable by nobody.
        user = "root root" if os.geteuid() == 0 else ""
        main = MAIN.format(prefix=self.prefix, user=user)
        if not user:
            main = main.replace("user ;\n", "")
        (self.prefix / "nginx.conf").write_text(main)

    def generate(self) -> str:
        out = subprocess.run(
            [str(self.bin_dir / "onair"), "nginx-config", "--site", str(self.site_dir),
             "--listen", f"127.0.0.1:{self.port}", "--icecast", self.icecast_url,
             "--output", str(self.prefix / "onair.conf")]
            + (["--recordings", str(self.recordings)] if self.recordings else []),
            capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, f"onair nginx-config failed: {out.stderr}"
        return (self.prefix / "onair.conf").read_text()

    def check(self) -> subprocess.CompletedProcess:
        return subprocess.run([NGINX, "-t", "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf")],
                              capture_output=True, text=True, timeout=30)

    def start(self, timeout: float = 15):
        checked = self.check()
        assert checked.returncode == 0, f"nginx -t rejected the config:\n{checked.stderr}"
        self.process = Managed([NGINX, "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf")],
                               self.prefix / "stdout.log")

        def answers():
            if not self.process.alive():
                pytest.fail(f"nginx exited:\n{self.process.output()}\n{self.error_log()}")
            try:
                urllib.request.urlopen(self.url + "robots.txt", timeout=1).read()
            except urllib.error.HTTPError:
                pass  # any HTTP answer means nginx is up
            return True

        wait_until(answers, timeout, interval=0.1, what=f"nginx on {self.url}")
        return self

    def stop(self):
        if self.process is not None:
            self.process.stop()

    def error_log(self) -> str:
        try:
            return (self.prefix / "error.log").read_text(errors="replace")
        except OSError:
            return ""


def request(url, method="GET", headers=None, timeout=5):
    """(status, headers as a case-insensitive-ish dict with lowercase keys, body) without raising on 4xx/5xx."""
    req = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


@pytest.fixture
def nginx_factory(tmp_path, bin_dir):
    """Starts nginx instances for a site folder; all are stopped at teardown."""
    started = []

    def start(site_dir, icecast_url="http://127.0.0.1:9", port=None, recordings=None):
        server = Nginx(bin_dir, tmp_path / f"nginx-{len(started)}", site_dir, icecast_url, port, recordings)
        started.append(server)
        return server.start()

    yield start
    for server in reversed(started):
        server.stop()


def build_site(bin_dir, repo_root, out, base_url, api=False, content=None):
    """Runs the built `onair build` on the example station (or `content`) into `out`; fails the test with its
    output. `api`: the station runs onair-api (`--api`: chat panel, /api/me probe)."""
    result = subprocess.run(
        [str(pathlib.Path(bin_dir) / "onair"), "build", "--content", str(content or pathlib.Path(repo_root) / "Content"),
         "--templates", str(pathlib.Path(repo_root) / "Templates"), "--output", str(out), "--base-url", base_url]
        + (["--api"] if api else []),
        capture_output=True, text=True, timeout=180, cwd=repo_root)
    if result.returncode != 0:
        pytest.fail(f"onair build failed:\n{result.stdout}\n{result.stderr}")
    return pathlib.Path(out)
