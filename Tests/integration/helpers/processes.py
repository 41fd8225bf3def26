"""Starting and always stopping background processes, with bounded waits."""
import os
import signal
import subprocess
import time
import urllib.request

import pytest


class Managed:
    """A child process that is stopped by PID when the test ends, whatever happened."""

    def __init__(self, args, log_path, env=None, cwd=None):
        self.args = args
        self.log_path = log_path
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                     start_new_session=True)

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def signal(self, sig):
        if self.alive():
            self.proc.send_signal(sig)

    def stop(self, timeout=10):
        if self.alive():
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self.log.close()
        return self.proc.returncode

    def output(self):
        self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")


def wait_until(predicate, timeout, interval=0.1, what="condition"):
    """Polls `predicate` until it returns a truthy value or `timeout` seconds pass (then fails)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except Exception as error:  # noqa: BLE001 - retried until the deadline
            last = error
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


def http_get(url, timeout=5, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, dict(response.headers), response.read()


@pytest.fixture
def processes():
    """Collects Managed processes and stops them all at teardown."""
    started = []

    def start(args, log_path, **kwargs):
        managed = Managed(args, log_path, **kwargs)
        started.append(managed)
        return managed

    yield start
    for managed in reversed(started):
        managed.stop()
