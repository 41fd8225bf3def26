"""Shared parts of the fault suite: processes stopped by PID, onaird with a config, a listener that
reconnects like a player, and the page's reading of nowplaying.json (player.js, `stale`/`render`).

Everything runs on 127.0.0.1; every wait has a deadline.
"""
import datetime
import json
import os
import pathlib
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "integration"))

from helpers.icecast import Icecast  # noqa: E402,F401 - re-exported for the rows
from helpers.processes import Managed  # noqa: E402


class RowFailed(Exception):
    """A row's check did not hold; the message is its figure."""


class Result:
    def __init__(self, row, figure, ok, detail=""):
        self.row, self.figure, self.ok, self.detail = row, figure, bool(ok), detail


class Processes:
    """Starts children in their own process group and stops every one of them by PID at the end."""

    def __init__(self):
        self.started = []

    def __call__(self, args, log_path, env=None, cwd=None):
        process = Managed(args, log_path, env=env, cwd=cwd)
        self.started.append(process)
        return process

    def stop_all(self):
        for process in reversed(self.started):
            try:
                process.stop(timeout=10)
            except Exception:  # noqa: BLE001 - best effort at the end
                pass


def wait_for(predicate, timeout, interval=0.1):
    """Polls `predicate` until it is truthy (returns it) or `timeout` seconds pass (returns None)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception:  # noqa: BLE001 - retried until the deadline
            pass
        time.sleep(interval)
    return None


def onaird_config(folder, icecast, outputs=None, source=None, interval=1, site=None, **extra):
    """Writes onaird.yaml (JSON is YAML) and the password file into `folder`; returns the config path."""
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    site = pathlib.Path(site) if site else folder / "site"
    site.mkdir(parents=True, exist_ok=True)
    password_file = folder / "source.password"
    password_file.write_text(icecast.password + "\n")
    os.chmod(password_file, 0o600)
    config = {
        "site": str(site), "interval": interval, "control_socket": str(folder / "c.sock"),
        "station_name": "Radio Faults",
        "icecast": {"url": icecast.url, "user": "source", "password_file": str(password_file),
                    "listener_mount": "/radio.ogg"},
        "outputs": outputs or [{"mount": "/radio.ogg", "format": "vorbis", "quality": 2}],
        "audio": {"sample_rate": 44100, "channels": 2},
        "source": source or {"kind": "tone", "frequency": 440, "title_every": 0},
    }
    config.update(extra)
    path = folder / "onaird.yaml"
    path.write_text(json.dumps(config, indent=2) + "\n")
    return path


def onaird_env():
    return {k: v for k, v in os.environ.items() if k not in ("NOTIFY_SOCKET", "ONAIR_SOURCE_PASSWORD")}


def start_onaird(processes, bin_dir, config, log_path):
    process = processes([str(bin_dir / "onaird"), "--config", str(config)], log_path, env=onaird_env(),
                        cwd=str(pathlib.Path(config).parent))
    socket_path = pathlib.Path(config).parent / "c.sock"
    if not wait_for(lambda: socket_path.exists() or not process.alive(), 20) or not process.alive():
        raise RowFailed(f"onaird did not start:\n{process.output()[-2000:]}")
    return process


def rss_kib(pid):
    """Resident set size of `pid` in KiB (VmRSS), or None once it is gone."""
    try:
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def open_fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None


class ReconnectingListener:
    """Reads a stream like a player that retries: records when bytes arrived, reconnects (every
    0.2 s) when the connection ends or fails. `gaps_after(t)` = seconds from `t` to the next byte."""

    def __init__(self, url, save=None):
        self.url = url
        self.save = save
        self.arrivals = []  # (monotonic time, bytes)
        self.connects = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self):
        out = open(self.save, "wb") if self.save else None
        try:
            while not self._stop.is_set():
                try:
                    with urllib.request.urlopen(self.url, timeout=3) as response:
                        self.connects += 1
                        while not self._stop.is_set():
                            chunk = response.read1(8192)
                            if not chunk:
                                break
                            self.arrivals.append((time.monotonic(), len(chunk)))
                            if out:
                                out.write(chunk)
                except Exception:  # noqa: BLE001 - a player retries
                    pass
                self._stop.wait(0.2)
        finally:
            if out:
                out.close()

    def last_byte(self):
        return self.arrivals[-1][0] if self.arrivals else None

    def first_byte_after(self, moment):
        for at, _ in reversed(self.arrivals):
            if at < moment:
                break
        later = [at for at, _ in self.arrivals if at >= moment]
        return later[0] if later else None

    def longest_gap(self, start, end):
        """The longest time without bytes between `start` and `end` (monotonic seconds)."""
        times = [start] + [at for at, _ in self.arrivals if start <= at <= end] + [end]
        return max(b - a for a, b in zip(times, times[1:]))

    def bytes_between(self, start, end):
        return sum(n for at, n in self.arrivals if start <= at <= end)


def page_state(document, now=None):
    """What the player page shows for this document (player.js: stale -> "unknown", else
    offline / live / onair). `now` is a UTC datetime (default: now)."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if not isinstance(document, dict) or document.get("schema") != 1:
        return "invalid"
    wanted = document.get("interval")
    interval = wanted if isinstance(wanted, (int, float)) and 1 <= wanted <= 3600 else 5
    try:
        updated = datetime.datetime.fromisoformat(str(document.get("updated_at")).replace("Z", "+00:00"))
    except ValueError:
        return "unknown"
    if (now - updated).total_seconds() > 3 * interval:
        return "unknown"
    if document.get("online") is not True:
        return "offline"
    live = document.get("live") or {}
    return "live" if live.get("is_live") is True else "onair"


def token():
    return secrets.token_hex(12)


def send_signal(process, sig):
    try:
        os.kill(process.pid, sig)
    except ProcessLookupError:
        pass


__all__ = ["Icecast", "Managed", "Processes", "RowFailed", "Result", "ROOT", "wait_for", "onaird_config",
           "start_onaird", "rss_kib", "open_fds", "ReconnectingListener", "page_state", "token",
           "send_signal", "signal", "subprocess", "json", "time", "pathlib", "os"]
