"""A private, real Icecast2 on a free 127.0.0.1 port, started per test and always stopped by PID.

Mounts: `/radio.ogg` (onaird's) and `/live.ogg` (a DJ's), which falls back to `/radio.ogg`
(`fallback-override` moves listeners back to `/live.ogg` when a DJ connects); `/locked.ogg` has a
password of its own (`locked_password`), so the source password is refused there. `/dj` is the
DJ mount onaird takes in (`live:`): hidden from the status page, its own password (`dj_password`).
As root Icecast needs `<chroot>0</chroot>`, `<changeowner>` to nobody/nogroup and a log folder
that user can write (DESIGN.md, "Facts that save a day").
"""
import json
import os
import pathlib
import secrets
import shutil
import socket
import tempfile
import time
import urllib.request

import pytest

from helpers.processes import Managed, wait_until

ICECAST = shutil.which("icecast2") or "/usr/sbin/icecast2"
SHARE = pathlib.Path("/usr/share/icecast2")

CONFIG = """<icecast>
  <location>127.0.0.1</location>
  <admin>test@localhost</admin>
  <limits>
    <clients>100</clients>
    <sources>10</sources>
    <queue-size>524288</queue-size>
    <client-timeout>30</client-timeout>
    <header-timeout>15</header-timeout>
    <source-timeout>10</source-timeout>
    <burst-on-connect>1</burst-on-connect>
    <burst-size>65535</burst-size>
  </limits>
  <authentication>
    <source-password>{password}</source-password>
    <relay-password>{password}</relay-password>
    <admin-user>admin</admin-user>
    <admin-password>{admin_password}</admin-password>
  </authentication>
  <hostname>127.0.0.1</hostname>
  <listen-socket>
    <port>{port}</port>
    <bind-address>127.0.0.1</bind-address>
  </listen-socket>
  <mount type="normal">
    <mount-name>/radio.ogg</mount-name>
  </mount>
  <mount type="normal">
    <mount-name>/live.ogg</mount-name>
    <fallback-mount>/radio.ogg</fallback-mount>
    <fallback-override>1</fallback-override>
  </mount>
  <mount type="normal">
    <mount-name>/dj</mount-name>
    <password>{dj_password}</password>
    <hidden>1</hidden>
  </mount>
  <mount type="normal">
    <mount-name>/locked.ogg</mount-name>
    <password>{locked_password}</password>
  </mount>
  <fileserve>1</fileserve>
  <paths>
    <basedir>{share}</basedir>
    <logdir>{logdir}</logdir>
    <webroot>{share}/web</webroot>
    <adminroot>{share}/admin</adminroot>
    <alias source="/" destination="/status.xsl"/>
  </paths>
  <logging>
    <accesslog>access.log</accesslog>
    <errorlog>error.log</errorlog>
    <loglevel>3</loglevel>
    <logsize>10000</logsize>
  </logging>
  <security>
    <chroot>0</chroot>
    {changeowner}
  </security>
</icecast>
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Icecast:
    """One Icecast2 process; `stop()` and `start()` restart it on the same port with the same config."""

    def __init__(self, workdir: pathlib.Path, port: int | None = None, password: str | None = None):
        self.workdir = pathlib.Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.password = password or secrets.token_hex(12)
        self.admin_password = secrets.token_hex(12)
        # `/locked.ogg` has a password of its own: a source with `password` is refused there.
        self.locked_password = secrets.token_hex(12)
        self.dj_password = secrets.token_hex(12)
        self.url = f"http://127.0.0.1:{self.port}"
        # The log folder must be writable by `nobody` after Icecast drops root, and tmp_path
        # (under /tmp/pytest-of-root, mode 0700) is not reachable for that user.
        self.logdir = pathlib.Path(tempfile.mkdtemp(prefix="onair-icecast-log-"))
        os.chmod(self.logdir, 0o777)
        running_as_root = os.geteuid() == 0
        changeowner = ("<changeowner><user>nobody</user><group>nogroup</group></changeowner>"
                       if running_as_root else "")
        self.config_path = self.workdir / "icecast.xml"
        self.config_path.write_text(CONFIG.format(
            password=self.password, admin_password=self.admin_password, locked_password=self.locked_password,
            dj_password=self.dj_password,
            port=self.port,
            share=SHARE, logdir=self.logdir, changeowner=changeowner))
        self.process: Managed | None = None
        self.restarts = 0

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self, timeout: float = 20):
        """Starts Icecast (again) and waits until /status-json.xsl answers with valid JSON."""
        if self.process is not None and self.process.alive():
            return self
        log = self.workdir / f"icecast-stdout-{self.restarts}.log"
        self.restarts += 1
        # Foreground (no -b) so the PID we hold is Icecast's own.
        self.process = Managed([ICECAST, "-c", str(self.config_path)], log)
        deadline = time.monotonic() + timeout
        attempts = 1
        while time.monotonic() < deadline:
            if not self.process.alive() and attempts < 5:
                # A just-freed port can still be busy for a moment after a restart: try again.
                self.process.stop()
                time.sleep(0.5)
                attempts += 1
                self.process = Managed([ICECAST, "-c", str(self.config_path)], log)
            try:
                self.status()
                return self
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.1)
        output = self.process.output() if self.process else ""
        self.stop()
        pytest.fail(f"Icecast did not answer on {self.url} within {timeout}s:\n{output}\n{self.error_log()}")

    def stop(self):
        """Stops Icecast by PID (SIGTERM, then SIGKILL); safe to call twice."""
        if self.process is not None:
            self.process.stop()
            # Wait until the port is closed, so a `start()` right after binds it again.
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    urllib.request.urlopen(self.url + "/status-json.xsl", timeout=0.5).read()
                    time.sleep(0.1)
                except Exception:  # noqa: BLE001 - closed: done
                    break

    def kill(self):
        """Kills Icecast hard (SIGKILL), as a crash would."""
        if self.process is not None and self.process.alive():
            os.killpg(self.process.pid, 9)
            self.process.proc.wait(timeout=5)
            self.process.log.close()

    # -- inspection ----------------------------------------------------------------------------
    def status(self) -> dict:
        """Parsed /status-json.xsl (`icestats`); raises when Icecast does not answer or replies badly."""
        with urllib.request.urlopen(self.url + "/status-json.xsl", timeout=3) as response:
            return json.loads(response.read().decode("utf-8", "replace"))

    def sources(self) -> list:
        """The `source` entries as a list: Icecast writes none, an object, or an array."""
        source = self.status().get("icestats", {}).get("source")
        if source is None:
            return []
        return source if isinstance(source, list) else [source]

    def source(self, mount: str) -> dict | None:
        """The status entry of `mount` ("/radio.ogg"), or None while no source feeds it."""
        for entry in self.sources():
            if str(entry.get("listenurl", "")).endswith(mount):
                return entry
        return None

    def mount_url(self, mount: str = "/radio.ogg") -> str:
        return self.url + mount

    def wait_for_source(self, mount: str = "/radio.ogg", timeout: float = 20) -> dict:
        return wait_until(lambda: self.source(mount), timeout, interval=0.2, what=f"a source on {mount}")

    def error_log(self) -> str:
        path = self.logdir / "error.log"
        try:
            return path.read_text(errors="replace")
        except OSError:
            return ""

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.logdir, ignore_errors=True)


@pytest.fixture
def icecast(tmp_path):
    """A running Icecast2 on a free 127.0.0.1 port with `/radio.ogg` and `/live.ogg` (falls back to
    `/radio.ogg`); a random source password per test. Stopped by PID at teardown."""
    server = Icecast(tmp_path / "icecast")
    server.start()
    try:
        yield server
    finally:
        server.cleanup()
