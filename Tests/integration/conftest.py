"""Integration tests: real Icecast2, nginx, headless Chromium and the built binaries on 127.0.0.1.

Fixtures live in helpers/ (one module per part, each owned by the part that needs it first) and are
registered below. Binaries come from $ONAIR_BIN_DIR (scripts/test sets it after `swift build`).
"""
import os
import pathlib
import socket
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

pytest_plugins = [
    "helpers.processes",
    "helpers.icecast",
    "helpers.audio",
    "helpers.nginx",
    "helpers.browser",
    "helpers.onaird",
    "helpers.api",
    "helpers.butt",
]


@pytest.fixture(scope="session")
def repo_root() -> pathlib.Path:
    return ROOT


@pytest.fixture(scope="session")
def bin_dir() -> pathlib.Path:
    """Folder holding the built `onair` and `onaird`."""
    env = os.environ.get("ONAIR_BIN_DIR")
    if env:
        path = pathlib.Path(env).resolve()
    else:
        out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True,
                             text=True, check=True, timeout=120)
        path = pathlib.Path(out.stdout.strip())
    for name in ("onair", "onaird"):
        if not (path / name).exists():
            pytest.fail(f"{path / name} is missing: run `swift build` first (or set ONAIR_BIN_DIR)")
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
