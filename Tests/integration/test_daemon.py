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
