"""The API under load (full run only): 2 000 open event streams and 50 chat posts a second for
5 minutes against the real onair-api. Measures its RSS over time, its open descriptors against its
limit, how long a post takes to reach the streams (p99, on a sample of 20 streams that look for
each message), and whether sign-in still answers. Each stream and post comes from its own
X-Real-IP (trusted from 127.0.0.1, as from nginx) so per-address limits do not interfere."""
import asyncio
import http.client
import json
import multiprocessing
import os
import re
import selectors
import socket
from concurrent.futures import ThreadPoolExecutor
import resource
import threading
import time

from common import Result, RowFailed, open_fds, rss_kib, wait_for
from helpers.nginx import free_port

PASSWORD = "load-test-password-1"
MARKER = re.compile(rb"load-[0-9]{6}")


def call(port, method, path, body, client, origin):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=json.dumps(body),
                           headers={"Content-Type": "application/json", "Origin": origin, "X-Real-IP": client})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


async def stream(port, index, sample, sent, delays, ready, stop):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write((f"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n"
                  f"X-Real-IP: 10.9.{index // 250}.{index % 250 + 1}\r\n\r\n").encode())
    await writer.drain()
    ready.append(index)
    tail = b""
    try:
        while not stop.is_set():
            chunk = await reader.read(65536)
            if not chunk:
                break
            if sample:
                now = time.monotonic()
                data = tail + chunk
                for found in MARKER.findall(data):
                    marker = found.decode()
                    if marker in sent and (index, marker) not in delays:
                        delays[(index, marker)] = now - sent[marker]
                tail = data[-64:]
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


def bulk_streams(port, indexes, opened, received, stop):
    """The streams nobody times, in a process of their own: every 0.2 s each is read out in one
    go. The service still writes every event to every stream; the client spends one read per
    stream and pause instead of one per event, and never holds the GIL the posts need."""
    selector = selectors.DefaultSelector()
    sockets = []
    try:
        for index in indexes:
            connection = socket.create_connection(("127.0.0.1", port), timeout=30)
            connection.sendall((f"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n"
                                f"X-Real-IP: 10.9.{index // 250}.{index % 250 + 1}\r\n\r\n").encode())
            connection.setblocking(False)
            selector.register(connection, selectors.EVENT_READ)
            sockets.append(connection)
            with opened.get_lock():
                opened.value += 1
        total = 0
        while not stop.is_set():
            for key, _ in selector.select(timeout=1):
                try:
                    chunk = key.fileobj.recv(1 << 20)
                except (BlockingIOError, ConnectionError):
                    continue
                if not chunk:
                    selector.unregister(key.fileobj)
                total += len(chunk)
            received.value = total
            time.sleep(0.2)
    finally:
        for connection in sockets:
            connection.close()


def api_load(ctx):
    streams, rate, seconds = 2000, 50, 300
    if os.environ.get("ONAIR_FAULTS_API"):  # "STREAMS,SECONDS" to try the row small
        streams, seconds = (int(v) for v in os.environ["ONAIR_FAULTS_API"].split(","))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, streams * 2 + 512)), hard))
    work = ctx.folder("api-load")
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    (work / "site").mkdir(exist_ok=True)
    (work / "onair-api.yaml").write_text(f"listen: 127.0.0.1:{port}\ndata_dir: ./data\nsite: ./site\npublic_origin: {origin}\n")
    import subprocess
    added = subprocess.run([str(ctx.bin_dir / "onair"), "user", "add", "ada", "--role", "admin", "--data-dir",
                            str(work / "data")], input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    if added.returncode != 0:
        raise RowFailed(f"onair user add failed: {added.stderr.strip()}")
    api = ctx.processes([str(ctx.bin_dir / "onair-api"), "--config", str(work / "onair-api.yaml"), "--log-level", "warning"],
                        work / "onair-api.log", cwd=str(work))
    if not wait_for(lambda: call(port, "GET", "/api/me", {}, "10.8.0.1", origin) in (200, 401), 30):
        raise RowFailed("onair-api did not answer")
    limit = int(next(line.split()[3] for line in open(f"/proc/{api.pid}/limits") if line.startswith("Max open files")))
    sent, delays, ready, rss, fds, statuses, signins = {}, {}, [], [], [], {}, []
    stop = threading.Event()

    def post_one(number):
        marker = f"load-{number:06d}"
        sent[marker] = time.monotonic()
        status = call(port, "POST", "/api/chat", {"nickname": f"n{number % 997}", "text": marker},
                      f"10.7.{(number // 250) % 250}.{number % 250 + 1}", origin)
        statuses[status] = statuses.get(status, 0) + 1

    def post_load():
        """`rate` posts a second for `seconds` (a pool, so a slow answer does not slow the pace)."""
        start = time.monotonic()
        posted = 0
        pool = ThreadPoolExecutor(max_workers=16)
        try:
            while time.monotonic() - start < seconds and api.alive():
                pool.submit(post_one, posted)
                posted += 1
                if posted % rate == 0:
                    rss.append(rss_kib(api.pid))
                    fds.append(open_fds(api.pid))
                if posted % (rate * 30) == 0:  # sign-in, twice a minute, answers within 2 s
                    begin = time.monotonic()
                    try:
                        answer = call(port, "POST", "/api/session", {"username": "ada", "password": PASSWORD},
                                      "10.6.0.1", origin)
                    except OSError as error:  # no answer within 10 s counts as a failed sign-in
                        answer = type(error).__name__
                    signins.append((answer, time.monotonic() - begin))
                time.sleep(max(0, start + posted / rate - time.monotonic()))
        finally:
            # Posts the service has not taken yet when the time is up are not sent (the figure
            # counts answers, so a service that falls behind shows as fewer posts accepted).
            pool.shutdown(wait=True, cancel_futures=True)
        return posted

    every = max(1, streams // 20)  # 20 streams look for each message; the rest only read
    sampled = [i for i in range(streams) if i % every == 0]
    opened, received, bulk_stop = multiprocessing.Value("i", 0), multiprocessing.Value("q", 0), multiprocessing.Event()
    bulk = multiprocessing.get_context("fork").Process(
        target=bulk_streams, args=(port, [i for i in range(streams) if i % every], opened, received, bulk_stop), daemon=True)

    async def main():
        tasks = [asyncio.create_task(stream(port, i, True, sent, delays, ready, stop)) for i in sampled]
        bulk.start()
        deadline = time.monotonic() + 120
        while len(ready) + opened.value < streams and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        await asyncio.sleep(2)
        posted = await asyncio.to_thread(post_load)
        await asyncio.sleep(3)
        stop.set()
        bulk_stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return posted

    try:
        posted = asyncio.run(main())
    finally:
        bulk_stop.set()
        bulk.join(timeout=30)
        if bulk.is_alive():
            bulk.kill()
    held = len(ready) + opened.value
    alive = api.alive()
    values = sorted(delays.values())
    p99 = values[min(len(values) - 1, int(0.99 * len(values)))] * 1000 if values else None
    rss_mb = [r / 1024 for r in rss if r]
    first, last = (rss_mb[len(rss_mb) // 5], rss_mb[-1]) if rss_mb else (0, 0)
    signin_ok = bool(signins) and all(s == 200 and t < 2 for s, t in signins)
    bounded = bool(rss_mb) and last < first * 1.5 + 20
    ok = alive and held == streams and bounded and max(fds or [0]) < limit * 0.9 and p99 is not None \
        and p99 < 2000 and signin_ok and statuses.get(201, 0) >= posted * 0.99
    figure = (f"{held} streams ({received.value / 1e6:.0f} MB read), {posted} posts ({statuses}); RSS {rss_mb[0] if rss_mb else 0:.0f} -> max "
              f"{max(rss_mb or [0]):.0f} -> {last:.0f} MB; descriptors max {max(fds or [0])} of {limit}; "
              f"fan-out p99 {p99 if p99 is not None else float('nan'):.0f} ms ({len(values)} deliveries sampled); "
              f"sign-in {sum(1 for s, t in signins if s == 200)}/{len(signins)} answered, slowest "
              f"{max((t for _, t in signins), default=0):.2f} s")
    if not alive:
        figure += "; onair-api exited"
    return Result(f"API under load ({streams} streams, {rate} posts/s, {seconds} s)", figure, ok)
