"""Running the built `onaird` against the test's Icecast, with its config in tmp_path.

`onaird_factory(**overrides)` writes `onaird.yaml` (JSON is YAML) into a fresh folder, a
`source.password` file with the Icecast password, an empty `site/`, and starts `onaird`
(stopped by PID at teardown through the `processes` fixture).
"""
import json
import os
import pathlib
import signal
import subprocess
import time

import pytest

from helpers.processes import wait_until


class Onaird:
    def __init__(self, bin_dir, folder, icecast, processes, config):
        self.bin_dir = pathlib.Path(bin_dir)
        self.folder = pathlib.Path(folder)
        self.icecast = icecast
        self.processes = processes
        self.site = self.folder / "site"
        self.site.mkdir(parents=True, exist_ok=True)
        self.socket = self.folder / "c.sock"
        self.config_path = self.folder / "onaird.yaml"
        self.password_file = self.folder / "source.password"
        self.password_file.write_text((icecast.password if icecast else "unused") + "\n")
        os.chmod(self.password_file, 0o600)
        self.config = {
            "site": "./site",
            "interval": 1,
            "control_socket": "./c.sock",
            "station_name": "Radio Test",
            "icecast": {
                "url": icecast.url if icecast else "http://127.0.0.1:9",
                "user": "source",
                "password_file": "./source.password",
                "listener_mount": "/radio.ogg",
            },
            "outputs": [{"mount": "/radio.ogg", "format": "vorbis", "quality": 2}],
            "audio": {"sample_rate": 44100, "channels": 2},
            "source": {"kind": "tone", "frequency": 440, "title_every": 0},
        }
        for key, value in config.items():
            if isinstance(value, dict) and isinstance(self.config.get(key), dict):
                self.config[key] = {**self.config[key], **value}
            else:
                self.config[key] = value
        self.process = None
        self.log_path = self.folder / "onaird.log"

    def write_config(self):
        self.config_path.write_text(json.dumps(self.config, indent=2) + "\n")

    def start(self, env=None, wait_ready=True):
        self.write_config()
        environment = {k: v for k, v in os.environ.items() if k not in ("NOTIFY_SOCKET", "ONAIR_SOURCE_PASSWORD")}
        environment.update(env or {})
        self.process = self.processes([str(self.bin_dir / "onaird"), "--config", str(self.config_path)],
                                      self.log_path, env=environment, cwd=str(self.folder))
        if wait_ready:
            wait_until(lambda: self.socket.exists() or not self.process.alive(), 15, what="onaird's control socket")
            assert self.process.alive(), f"onaird exited early:\n{self.log()}"
        return self

    # -- inspection ----------------------------------------------------------------------------
    @property
    def nowplaying_path(self):
        return self.site / "nowplaying.json"

    def nowplaying(self):
        return json.loads(self.nowplaying_path.read_text())

    def wait_nowplaying(self, predicate, timeout=20, what="nowplaying.json"):
        def check():
            try:
                document = self.nowplaying()
            except (OSError, ValueError):
                return None
            return document if predicate(document) else None
        return wait_until(check, timeout, interval=0.2, what=what)

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def onair(self, *args, timeout=10):
        """Runs `onair ARGS --socket ...` and returns the CompletedProcess."""
        return subprocess.run([str(self.bin_dir / "onair"), *args, "--socket", str(self.socket)],
                              capture_output=True, text=True, timeout=timeout, cwd=str(self.folder))

    def terminate(self, timeout=15):
        """SIGTERM, then waits for the exit code."""
        self.process.proc.send_signal(signal.SIGTERM)
        return self.process.proc.wait(timeout=timeout)


@pytest.fixture
def onaird_factory(bin_dir, tmp_path, processes):
    """`onaird_factory(icecast, **config_overrides)` -> an Onaird (not started)."""
    count = [0]

    def make(server, **config):
        count[0] += 1
        folder = tmp_path / f"d{count[0]}"
        folder.mkdir()
        return Onaird(bin_dir, folder, server, processes, config)

    yield make


def three_mount_tone_config(folder, site, icecast, port, socket, extra=""):
    """Writes `onaird.yaml` (and `source.password`) into `folder` for the example station in `site`
    served on `port`: a 440 Hz tone on /radio.opus, /radio.ogg and /radio.mp3; `extra` is YAML
    added at the end (`live: ...`). Returns the config's path."""
    folder = pathlib.Path(folder)
    password = folder / "source.password"
    password.write_text(icecast.password + "\n")
    password.chmod(0o600)
    config = folder / "onaird.yaml"
    config.write_text(f"""site: {site}
interval: 2
control_socket: {socket}
station_name: Radio Example
public_stream_url: http://127.0.0.1:{port}/stream/radio.ogg
icecast:
  url: {icecast.url}
  user: source
  password_file: {password}
  listener_mount: /radio.ogg
outputs:
  - {{ mount: /radio.opus, format: opus, bitrate: 64 }}
  - {{ mount: /radio.ogg, format: vorbis, quality: 2 }}
  - {{ mount: /radio.mp3, format: mp3, bitrate: 128 }}
audio: {{ sample_rate: 44100, channels: 2 }}
source:
  kind: tone
  frequency: 440
{extra}""")
    return config
