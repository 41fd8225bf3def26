"""`onair build --watch` follows the recordings folder: an airing onaird publishes (the audio renamed from
its dotfile part, then the sidecar) shows up on the show page, the home page and the podcast within
seconds, the part being written triggers nothing, and a pruned airing leaves the pages again.

No Icecast or onaird here: the test writes the files the way onaird's recorder does (a real Opus file
made with sox and opusenc, `.NAME.part` renamed into place). Every wait is bounded.
"""
import json
import os
import subprocess
import time

from helpers.processes import wait_until
from test_recordings import write_content

NAME = "2026-12-05-1000"


def publish(folder, source):
    """Writes `source` as onaird does: the audio as a dotfile part, renamed; then the sidecar the same way."""
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / f".{NAME}.opus.part"
    part.write_bytes(source.read_bytes())
    os.rename(part, folder / f"{NAME}.opus")
    sidecar = folder / f".{NAME}.json.part"
    sidecar.write_text(json.dumps({
        "schema": 1, "show": {"slug": "jazz", "title": "Jazz Hour"}, "start": "2026-12-05T10:00:00Z",
        "end": "2026-12-05T10:00:03Z", "live": False, "dj": "Ann", "file": f"{NAME}.opus", "format": "opus",
        "part": 1, "tracks": [{"offset": 0, "text": "Tone - Sine 440"}]}))
    os.rename(sidecar, folder / f"{NAME}.json")


def test_watch_lists_a_published_airing_and_drops_a_pruned_one(bin_dir, repo_root, processes, tmp_path):
    content = write_content(tmp_path / "station", [])
    recordings, site = tmp_path / "rec", tmp_path / "site"
    recordings.mkdir()
    wav, opus = tmp_path / "tone.wav", tmp_path / "tone.opus"
    subprocess.run(["sox", "-n", "-r", "48000", "-c", "2", "-b", "16", "-e", "signed-integer", str(wav),
                    "synth", "3", "sine", "440"], check=True, timeout=60)
    subprocess.run(["opusenc", "--quiet", str(wav), str(opus)], check=True, timeout=60)

    watcher = processes([str(bin_dir / "onair"), "build", "--watch", "--content", str(content),
                         "--templates", str(repo_root / "Templates"), "--output", str(site),
                         "--base-url", "http://127.0.0.1:9", "--recordings", str(recordings)],
                        tmp_path / "watch.log")
    page, home, feed = site / "shows/jazz/index.html", site / "index.html", site / "shows/jazz/podcast.xml"
    wait_until(lambda: page.is_file() and feed.is_file() and "Watching" in watcher.output(), 60, what="first build")
    assert f"{recordings}/ for changes" in watcher.output()
    listed = f"/recordings/jazz/{NAME}.opus"
    assert listed not in page.read_text()

    # A new show's folder is a change (nothing to list yet); the recording being written in it, a dotfile
    # growing every 0.1 s, is none.
    folder = recordings / "jazz"
    folder.mkdir()
    wait_until(lambda: watcher.output().count("Built ") == 2, 20, what="the rebuild for the new folder")
    rebuilds = watcher.output().count("Change detected")
    part = folder / f".{NAME}.opus.part"
    deadline = time.monotonic() + 1.5
    with open(part, "ab") as growing:
        while time.monotonic() < deadline:
            growing.write(b"\0" * 4096)
            growing.flush()
            time.sleep(0.1)
    part.unlink()
    time.sleep(1)  # beyond the watcher's debounce
    assert watcher.output().count("Change detected") == rebuilds, watcher.output()

    started = time.monotonic()
    publish(folder, opus)
    wait_until(lambda: listed in page.read_text() and listed in feed.read_text() and listed in home.read_text(), 20,
               what="the airing on the show page, the podcast and the home page")
    assert time.monotonic() - started < 10
    assert f'length="{opus.stat().st_size}"' in feed.read_text()

    # keep_days pruning deletes the audio and its sidecar.
    for suffix in (".opus", ".json"):
        (folder / f"{NAME}{suffix}").unlink()
    wait_until(lambda: listed not in page.read_text() and listed not in feed.read_text() and listed not in home.read_text(),
               20, what="the pruned airing gone")
    assert watcher.alive()
    assert "error" not in watcher.output()
