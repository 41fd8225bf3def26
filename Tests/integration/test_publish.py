"""`onair init` and `onair publish` with the built binary: a new station builds with no demo text;
publishing swaps the whole site in one step while a reader polls it and a writer keeps replacing
nowplaying.json the way onaird does; a failed publish (disk full) leaves the old site serving;
`host:folder` goes through rsync and a remote shell."""
import json
import os
import pathlib
import subprocess
import threading
import time

import pytest

DEMO_WORDS = ("Kanal Elbe", "Harbour", "Night Owls", "Dockside", "Hamburg")


def onair(bin_dir, *args, cwd=None, env=None):
    return subprocess.run([str(bin_dir / "onair"), *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd, env={**os.environ, **(env or {})})


def new_station(bin_dir, tmp_path, name="Radio Nord"):
    folder = tmp_path / "station"
    made = onair(bin_dir, "init", str(folder), "--name", name, "--timezone", "Europe/Berlin")
    assert made.returncode == 0, made.stderr
    return folder


def build(bin_dir, station, output, tagline):
    yaml = station / "Content" / "station.yaml"
    text = yaml.read_text()
    yaml.write_text("\n".join(f"tagline: {tagline}" if line.startswith("tagline:") else line
                              for line in text.splitlines()) + "\n")
    built = onair(bin_dir, "build", "--content", str(station / "Content"), "--templates",
                  str(station / "Templates"), "--output", str(output))
    assert built.returncode == 0, built.stderr
    return output


def test_init_makes_a_station_that_builds_with_no_demo_text(bin_dir, tmp_path):
    station = new_station(bin_dir, tmp_path)
    content = sorted(str(p.relative_to(station / "Content")) for p in (station / "Content").rglob("*.md"))
    assert content == ["pages/about.md", "schedule.md", "shows/first-show.md"]
    assert "timezone: Europe/Berlin" in (station / "Content" / "station.yaml").read_text()
    built = onair(bin_dir, "build", cwd=station)
    assert built.returncode == 0, built.stderr
    site = station / "site"
    assert "Radio Nord" in (site / "index.html").read_text()
    assert (site / "shows" / "first-show" / "index.html").exists() and (site / "about" / "index.html").exists()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".ics", ".txt", ".m3u", ".pls"):
            text = path.read_text()
            assert not [word for word in DEMO_WORDS if word in text], path


def test_init_refuses_a_folder_that_is_not_empty(bin_dir, tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine\n")
    result = onair(bin_dir, "init", str(tmp_path / "busy"), "--name", "X", "--timezone", "UTC")
    assert result.returncode == 1
    assert result.stderr == (f"onair: {tmp_path / 'busy'} is not empty (1 entry); onair init starts a station "
                             "only in a new or empty folder, and changed nothing\n")
    assert sorted(os.listdir(tmp_path / "busy")) == ["notes.txt"]
    bad_zone = onair(bin_dir, "init", str(tmp_path / "new"), "--name", "X", "--timezone", "Mars/Base")
    assert bad_zone.returncode != 0 and "unknown time zone 'Mars/Base'" in bad_zone.stderr
    assert not (tmp_path / "new").exists()


def write_like_onaird(link, data):
    """onaird's AtomicFileWriter: through a nowplaying.json link, replace the file it points to."""
    target = link
    if os.path.islink(link):
        target = os.path.join(os.path.realpath(os.path.dirname(link)), os.readlink(link))
    temporary = os.path.join(os.path.dirname(target), ".nowplaying.json.tmp")
    with open(temporary, "w") as f:
        f.write(data)
    os.rename(temporary, target)


def test_publish_swaps_the_whole_site_while_a_reader_polls(bin_dir, tmp_path):
    station = new_station(bin_dir, tmp_path)
    site_a = build(bin_dir, station, tmp_path / "a", "Edition A")
    site_b = build(bin_dir, station, tmp_path / "b", "Edition B")
    (tmp_path / "srv").mkdir()
    dest = tmp_path / "srv" / "site"
    first = onair(bin_dir, "publish", str(dest), "--site", str(site_a))
    assert first.returncode == 0, first.stderr
    assert dest.is_symlink()
    write_like_onaird(str(dest / "nowplaying.json"), json.dumps({"tick": 0}))

    stop = threading.Event()
    problems, reads, ticks = [], [0], [0]

    def reader():
        while not stop.is_set():
            for name in ("index.html", "about/index.html", "schedule.json", "nowplaying.json"):
                try:
                    data = (dest / name).read_text()
                except OSError as error:
                    problems.append(f"{name}: {error}")
                    continue
                reads[0] += 1
                if name == "nowplaying.json":
                    json.loads(data)
                elif name == "index.html" and (("Edition A" in data) == ("Edition B" in data)
                                               or not data.rstrip().endswith("</html>")):
                    problems.append(f"{name}: neither the old nor the new page")

    def daemon():
        while not stop.is_set():
            ticks[0] += 1
            write_like_onaird(str(dest / "nowplaying.json"), json.dumps({"tick": ticks[0]}))
            time.sleep(0.002)

    threads = [threading.Thread(target=reader), threading.Thread(target=daemon)]
    for thread in threads:
        thread.start()
    try:
        for round_ in range(8):
            result = onair(bin_dir, "publish", str(dest), "--site", str(site_b if round_ % 2 == 0 else site_a))
            assert result.returncode == 0, result.stderr
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    assert problems == []
    assert reads[0] > 100
    assert "Edition A" in (dest / "index.html").read_text()
    # The daemon's last write is what the page sees: no swap lost or rewound it.
    assert json.loads((dest / "nowplaying.json").read_text()) == {"tick": ticks[0]}
    # The live copy and the previous one are kept; older copies are gone.
    assert len(os.listdir(tmp_path / "srv" / ".site.releases")) == 2


def test_a_failed_publish_leaves_the_old_site_serving(bin_dir, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("fills a small tmpfs: needs root")
    station = new_station(bin_dir, tmp_path)
    site_a = build(bin_dir, station, tmp_path / "a", "Edition A")
    site_b = build(bin_dir, station, tmp_path / "b", "Edition B")
    (site_b / "assets" / "big.bin").write_bytes(os.urandom(3 << 20))
    small = tmp_path / "small"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(small)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr!r}")
    try:
        dest = small / "site"
        assert onair(bin_dir, "publish", str(dest), "--site", str(site_a)).returncode == 0
        before = os.readlink(dest)
        failed = onair(bin_dir, "publish", str(dest), "--site", str(site_b))
        assert failed.returncode == 1
        assert failed.stderr.startswith("onair: cannot copy ") and "the old site is still served" in failed.stderr
        assert os.readlink(dest) == before
        assert "Edition A" in (dest / "index.html").read_text()
        assert os.listdir(small / ".site.releases") == [before.split("/")[-1]]
    finally:
        subprocess.run(["umount", str(small)], capture_output=True)


def test_publish_to_host_folder_goes_through_rsync_and_the_remote_shell(bin_dir, tmp_path):
    station = new_station(bin_dir, tmp_path)
    site = build(bin_dir, station, tmp_path / "a", "Edition Remote")
    # A remote shell that runs the command here: `fake-ssh HOST WORDS...` -> sh -c "WORDS...".
    fake = tmp_path / "fake-ssh"
    fake.write_text('#!/bin/sh\nshift\nexec sh -c "$*"\n')
    fake.chmod(0o755)
    (tmp_path / "server").mkdir()
    dest = tmp_path / "server" / "site"
    result = onair(bin_dir, "publish", f"radio.example:{dest}", "--site", str(site), "--rsh", str(fake),
                   "--remote-onair", str(bin_dir / "onair"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Edition Remote" in (dest / "index.html").read_text()
    assert (tmp_path / "server" / ".site.incoming" / "index.html").exists()
    broken = onair(bin_dir, "publish", f"radio.example:{dest}", "--site", str(site), "--rsh", str(fake),
                   "--remote-onair", "/nonexistent/onair")
    assert broken.returncode == 1
    assert broken.stderr.endswith("onair: the publish on radio.example failed (exit status 127); "
                                  "the site on radio.example is unchanged\n")
    assert "Edition Remote" in (dest / "index.html").read_text()
