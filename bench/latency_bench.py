"""Now-playing latency and polling capacity.

- `onair now` -> the new title in site/nowplaying.json on disk (200 changes, p50/p99).
- `onair now` -> the new Vorbis comment seen by a listener reading the stream (20 changes).
- nginx serving nowplaying.json on loopback under wrk: requests/s for 200 and for 304 answers.
"""
import json
import os
import pathlib
import re
import socket
import subprocess
import threading
import time
import urllib.request

from common import WORK, Background, Icecast, clean, free_port, wait_for
from stream_bench import onaird_config


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def title_in_json(path):
    try:
        doc = json.loads(path.read_text())
        return (doc.get("now_playing") or {}).get("text")
    except (OSError, ValueError):
        return None


class StreamReader(threading.Thread):
    """Reads a mount and records when each `TITLE=` comment first appears in the bytes."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url = url
        self.seen = {}
        self.stop_at = time.monotonic() + 600

    def run(self):
        tail = b""
        with urllib.request.urlopen(self.url, timeout=10) as response:
            while time.monotonic() < self.stop_at:
                chunk = response.read(1024)
                if not chunk:
                    break
                now = time.monotonic()
                data = tail + chunk
                for match in re.finditer(rb"TITLE=Bench ([0-9]+)", data):
                    self.seen.setdefault(int(match.group(1)), now)
                tail = data[-64:]


def stream_latency(icecast, onair, changes):
    """`onair now` -> the new TITLE= comment in the bytes a listener reads, `changes` times 1.5 s apart."""
    reader = StreamReader(f"{icecast.url}/radio.ogg")
    reader.start()
    time.sleep(2)
    sent = {}
    for i in range(changes):
        sent[i] = time.monotonic()
        subprocess.run([*map(str, onair), f"Artist - Bench {i}"], check=True, capture_output=True)
        time.sleep(1.5)
    time.sleep(3)
    reader.stop_at = 0
    delays = [(reader.seen[i] - sent[i]) * 1000 for i in sent if i in reader.seen]
    return {"p50": percentile(delays, 50) if delays else None, "max": max(delays) if delays else None,
            "seen": len(delays), "changes": changes}


def run(bindir, changes=200, stream_changes=20):
    folder = clean(WORK / "latency")
    icecast = Icecast(folder)
    results = {}
    config = onaird_config(folder, icecast, "/radio.ogg", "  kind: tone\n  frequency: 440")
    socket_path = folder / "onaird-radio.ogg.sock"
    daemon = Background([bindir / "onaird", "--config", config], folder / "onaird.log")
    nowplaying = folder / "site" / "nowplaying.json"
    try:
        wait_for(socket_path.exists, 20, "the control socket")
        wait_for(lambda: title_in_json(nowplaying), 20, "nowplaying.json")
        onair = [bindir / "onair", "now", "--socket", socket_path]
        # Title -> listener first, on the fresh daemon (a station's normal pace of title changes).
        results["stream_ms"] = stream_latency(icecast, onair, stream_changes)
        delays = []
        for i in range(changes):
            text = f"Bench - Json {i}"
            start = time.monotonic()
            subprocess.run([*map(str, onair), text], check=True, capture_output=True)
            deadline = start + 5
            while title_in_json(nowplaying) != text and time.monotonic() < deadline:
                time.sleep(0.0005)
            delays.append((time.monotonic() - start) * 1000)
        results["json_ms"] = {"p50": percentile(delays, 50), "p99": percentile(delays, 99),
                              "max": max(delays), "changes": changes,
                              "note": "includes starting the onair client process for each change"}

        # The daemon's own share: the same request written straight to the control socket.
        delays = []
        for i in range(changes):
            text = f"Bench - Socket {i}"
            start = time.monotonic()
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
                client.settimeout(5)
                client.connect(str(socket_path))
                client.sendall((json.dumps({"command": "now", "text": text}) + "\n").encode())
                client.recv(65536)
            deadline = start + 5
            while title_in_json(nowplaying) != text and time.monotonic() < deadline:
                time.sleep(0.0005)
            delays.append((time.monotonic() - start) * 1000)
        results["json_socket_ms"] = {"p50": percentile(delays, 50), "p99": percentile(delays, 99),
                                     "max": max(delays), "changes": changes,
                                     "note": "request written to the control socket directly: the daemon's share"}

        # Once more after the 400 rapid changes above (see BENCHMARKS.md: titles then arrive later).
        results["stream_after_flood_ms"] = stream_latency(icecast, onair, stream_changes)
    finally:
        daemon.stop()
        icecast.stop()
    results["wrk"] = wrk_nowplaying(folder, nowplaying)
    print(results, flush=True)
    return results


def wrk_nowplaying(folder, nowplaying):
    port = free_port()
    static = folder / "static"
    static.mkdir(exist_ok=True)
    (static / "nowplaying.json").write_bytes(nowplaying.read_bytes())  # a still copy: stable ETag
    conf = folder / "nginx.conf"
    for d in ("client", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / "nginx-tmp" / d).mkdir(parents=True, exist_ok=True)
    conf.write_text(f"""worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {folder}/nginx-tmp/client; proxy_temp_path {folder}/nginx-tmp/proxy;
  fastcgi_temp_path {folder}/nginx-tmp/fastcgi; uwsgi_temp_path {folder}/nginx-tmp/uwsgi;
  scgi_temp_path {folder}/nginx-tmp/scgi;
  types {{ application/json json; }}
  server {{
    listen 127.0.0.1:{port};
    root {static};
    location = /nowplaying.json {{ add_header Cache-Control "no-cache"; etag on; }}
  }}
}}
""")
    nginx = Background(["nginx", "-c", conf, "-g", "daemon off;"], folder / "nginx.out")
    try:
        url = f"http://127.0.0.1:{port}/nowplaying.json"
        wait_for(lambda: urllib.request.urlopen(url, timeout=2).status == 200, 10, "nginx")
        with urllib.request.urlopen(url, timeout=2) as response:
            etag = response.headers["ETag"]
        results = {}
        for name, extra in (("200", []), ("304", ["-H", f"If-None-Match: {etag}"])):
            out = subprocess.run(["wrk", "-t2", "-c64", "-d10s", *extra, url], capture_output=True, text=True,
                                 timeout=60).stdout
            rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
            results[name] = {"requests_per_s": rps}
        return results
    finally:
        nginx.stop()
