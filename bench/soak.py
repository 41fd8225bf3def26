"""The soak: onaird streaming for a long time (60 min by default; `make bench` runs 5) with a
listener per mount, a new title every 30 s and Icecast restarted twice. Measures:

- gaps: stretches without audio at each listener (wall clock), apart from the two restarts;
- drift: decoded samples against wall time (Ogg granule positions, a least-squares slope over each
  unbroken connection, past its burst), in ppm;
- titles: set with `onair now` against seen in-band (Vorbis comments on the Ogg mount, ICY
  `StreamTitle` on the MP3 mount);
- memory: onaird's RSS every 10 s; the table shows a sample a minute, and the slope after the first
  5 minutes in MB per hour (must stay under 1).
"""
import json
import os
import re
import struct
import subprocess
import threading
import time
import urllib.request

from common import WORK, Background, Icecast, clean, wait_for

RATE = 44100
MOUNTS = {"/soak.ogg": "vorbis", "/soak.mp3": "mp3"}


class OggListener(threading.Thread):
    """Reads an Ogg mount, reconnecting like a player. Per connection: (arrival time, total samples
    so far) from the pages' granule positions, summed over the chained logical streams; and every
    TITLE= seen in a Vorbis comment header."""

    def __init__(self, url, stop):
        super().__init__(daemon=True)
        self.url, self.stop = url, stop
        self.segments = []  # [(connect time, [(time, samples)])]
        self.titles = set()
        self.arrivals = []

    def run(self):
        while not self.stop.is_set():
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    points = []
                    self.segments.append((time.monotonic(), points))
                    buffer, done, current = b"", 0, {}
                    while not self.stop.is_set():
                        chunk = response.read1(16384)
                        if not chunk:
                            break
                        now = time.monotonic()
                        self.arrivals.append(now)
                        buffer += chunk
                        buffer, done = self._pages(buffer, done, current, points, now)
            except Exception:  # noqa: BLE001 - a player retries
                pass
            self.stop.wait(0.2)

    def _pages(self, buffer, done, current, points, now):
        """Consumes whole Ogg pages from `buffer`; returns (rest, samples of finished streams)."""
        while True:
            start = buffer.find(b"OggS")
            if start < 0 or len(buffer) - start < 27:
                return buffer[max(0, len(buffer) - 27):] if start < 0 else buffer[start:], done
            header = buffer[start:start + 27]
            flags, granule, serial = header[5], struct.unpack("<q", header[6:14])[0], struct.unpack("<I", header[14:18])[0]
            count = header[26]
            if len(buffer) - start < 27 + count:
                return buffer[start:], done
            lacing = buffer[start + 27:start + 27 + count]
            size = 27 + count + sum(lacing)
            if len(buffer) - start < size:
                return buffer[start:], done
            body = buffer[start + 27 + count:start + size]
            if body.startswith(b"\x03vorbis"):
                self.titles.update(comment_titles(body))
            if serial not in current:
                done += max(current.values(), default=0)
                current.clear()
                current[serial] = 0
            if granule >= 0:
                current[serial] = granule
            points.append((now, done + current[serial]))
            del flags
            buffer = buffer[start + size:]


class IcyListener(threading.Thread):
    """Reads an MP3 mount with ICY metadata: arrival times and every StreamTitle seen."""

    def __init__(self, url, stop):
        super().__init__(daemon=True)
        self.url, self.stop = url, stop
        self.titles = set()
        self.arrivals = []

    def run(self):
        while not self.stop.is_set():
            try:
                request = urllib.request.Request(self.url, headers={"Icy-MetaData": "1"})
                with urllib.request.urlopen(request, timeout=5) as response:
                    metaint = int(response.headers.get("icy-metaint", "0"))
                    left, pending = metaint, b""
                    while not self.stop.is_set():
                        chunk = response.read1(4096)
                        if not chunk:
                            break
                        self.arrivals.append(time.monotonic())
                        pending += chunk
                        while metaint and pending:
                            if left > 0:  # audio bytes
                                used = min(left, len(pending))
                                pending, left = pending[used:], left - used
                                continue
                            size = pending[0] * 16
                            if len(pending) < 1 + size:
                                break
                            found = re.search(rb"StreamTitle='(.*?)';", pending[1:1 + size])
                            if found:
                                self.titles.add(found.group(1).decode("utf-8", "replace"))
                            pending, left = pending[1 + size:], metaint
                        if not metaint:
                            pending = b""
            except Exception:  # noqa: BLE001 - a player retries
                pass
            self.stop.wait(0.2)


def comment_titles(packet):
    """TITLE= values of a Vorbis comment header (the packet starts a page when it is small)."""
    titles = []
    try:
        at = 7
        vendor = struct.unpack("<I", packet[at:at + 4])[0]
        at += 4 + vendor
        count = struct.unpack("<I", packet[at:at + 4])[0]
        at += 4
        for _ in range(min(count, 100)):
            length = struct.unpack("<I", packet[at:at + 4])[0]
            comment = packet[at + 4:at + 4 + length].decode("utf-8", "replace")
            at += 4 + length
            if comment.upper().startswith("TITLE="):
                titles.append(comment[6:])
    except struct.error:
        pass
    return titles


def slope(points):
    """Least-squares slope of y over x."""
    n = len(points)
    if n < 3:
        return None
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    var = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / var if var else None


def drift_ppm(listener, skip=15):
    """Samples per second against 44 100 over each connection's steady part, weighted by length."""
    results = []
    for connected, points in listener.segments:
        steady = [(t, s) for t, s in points if t > connected + skip]
        if len(steady) < 20 or steady[-1][0] - steady[0][0] < 60:
            continue
        rate = slope(steady)
        if rate:
            results.append(((rate - RATE) / RATE * 1e6, steady[-1][0] - steady[0][0]))
    if not results:
        return None
    total = sum(w for _, w in results)
    return sum(p * w for p, w in results) / total


def gaps(arrivals, start, end, over=1.5):
    """(start, length) of every stretch longer than `over` seconds without bytes."""
    times = [start] + [t for t in arrivals if start <= t <= end] + [end]
    return [(a, b - a) for a, b in zip(times, times[1:]) if b - a > over]


def growth_between_restarts(rss, restarts, after=300, settle=60):
    """MB per hour: the slope of RSS within each stretch between Icecast restarts (past the first
    `after` seconds and `settle` seconds after a restart), weighted by the stretch's length. The
    step a reconnection takes once is left out; what keeps growing is not."""
    edges = [after] + [r + settle for r in restarts if r + settle > after]
    ends = [r for r in restarts if r > after] + [float("inf")]
    total, weight = 0.0, 0.0
    for begin, end in zip(edges, ends):
        points = [(t / 3600, v) for t, v in rss if v is not None and begin <= t < end]
        rate = slope(points)
        if rate is not None and len(points) >= 6:
            span = points[-1][0] - points[0][0]
            total += rate * span
            weight += span
    return round(total / weight, 3) if weight else None


def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def run(bindir, minutes=60, title_every=30):
    title_every = float(os.environ.get("SOAK_TITLE_EVERY", title_every))
    folder = clean(WORK / "soak")
    icecast = Icecast(folder)
    onaird = None
    stop = threading.Event()
    try:
        (folder / "source.password").write_text(icecast.password + "\n")
        os.chmod(folder / "source.password", 0o600)
        (folder / "site").mkdir(exist_ok=True)
        config = folder / "onaird.yaml"
        outputs = [{"mount": "/soak.ogg", "format": "vorbis", "quality": 4},
                   {"mount": "/soak.mp3", "format": "mp3", "bitrate": 128}]
        config.write_text(json.dumps({
            "site": str(folder / "site"), "interval": 5, "control_socket": str(folder / "c.sock"),
            "icecast": {"url": icecast.url, "user": "source", "password_file": str(folder / "source.password"),
                        "listener_mount": "/soak.ogg"},
            "outputs": outputs, "audio": {"sample_rate": RATE, "channels": 2},
            "source": {"kind": "tone", "frequency": 440, "title_every": 0}}))
        onaird = Background([bindir / "onaird", "--config", config], folder / "onaird.log")
        wait_for(lambda: len(icecast.sources()) == 2, 30, "onaird on both mounts")
        ogg = OggListener(f"{icecast.url}/soak.ogg", stop)
        mp3 = IcyListener(f"{icecast.url}/soak.mp3", stop)
        ogg.start()
        mp3.start()
        began = time.monotonic()
        end = began + minutes * 60
        restarts_at = [began + minutes * 60 / 3, began + minutes * 60 * 2 / 3]
        restarts, titles_set, rss = [], [], []
        next_title, next_rss, number = began + title_every, began, 0
        while time.monotonic() < end:
            now = time.monotonic()
            if now >= next_rss:
                rss.append((now - began, rss_mb(onaird.pid)))
                next_rss += 10
            if now >= next_title:
                number += 1
                title = f"Soak Artist - Soak Title {number:04d}"
                done = subprocess.run([bindir / "onair", "now", title, "--socket", folder / "c.sock"],
                                      capture_output=True, text=True, timeout=10)
                if done.returncode == 0:
                    titles_set.append(title)
                next_title += title_every
            if restarts_at and now >= restarts_at[0]:
                restarts_at.pop(0)
                icecast.process.stop()
                down = time.monotonic()
                icecast.process = Background(["icecast2", "-c", folder / "icecast.xml"], folder / "icecast.out")
                wait_for(lambda: len(icecast.sources()) == 2, 60, "onaird back on both mounts")
                restarts.append(down)
            time.sleep(0.5)
        alive = onaird.proc.poll() is None
        stop.set()
        finished = time.monotonic()
        ogg.join(timeout=10)
        mp3.join(timeout=10)
        result = {"minutes": minutes, "title_every": title_every, "onaird_alive": alive,
                  "icecast_restarts": len(restarts), "titles_set": len(titles_set)}
        for name, listener in (("ogg", ogg), ("mp3", mp3)):
            all_gaps = gaps(listener.arrivals, began + 5, finished)
            outside = [g for at, g in all_gaps if not any(r - 2 <= at + g and at <= r + 60 for r in restarts)]
            result[f"{name}_restart_gaps"] = [round(g, 2) for at, g in all_gaps if (round(g, 2)) not in outside]
            result[f"{name}_gaps_outside_restarts"] = [round(g, 2) for g in outside]
        result["ogg_drift_ppm"] = drift_ppm(ogg)
        in_band = {t.split(" - ", 1)[-1] for t in ogg.titles}
        result["ogg_titles_seen"] = sum(1 for t in titles_set if t.split(" - ", 1)[1] in in_band)
        result["mp3_titles_seen"] = sum(1 for t in titles_set if t in mp3.titles)
        result["rss_mb"] = [(round(t), round(v, 2)) for t, v in rss if v is not None]
        late = [(t / 3600, v) for t, v in rss if v is not None and t >= 300]
        per_hour = slope(late)
        result["rss_growth_mb_per_hour_after_5_min"] = round(per_hour, 3) if per_hour is not None else None
        result["restarts_at_s"] = [round(r - began) for r in restarts]
        result["rss_growth_between_restarts_mb_per_hour"] = growth_between_restarts(rss, result["restarts_at_s"])
        return result
    finally:
        stop.set()
        if onaird:
            onaird.stop()
        icecast.stop()
