#!/usr/bin/env python3
"""Benchmark (not a test): onair-api's event stream fan-out on loopback.

Starts the built onair-api with a fresh data folder, opens N concurrent `GET /api/events`
connections (default 1000), posts one chat message and measures how long each connection takes to
receive it (p50/p99/max), then samples the service's RSS and CPU while idle and while 10 messages/s
are posted for D seconds.

    python3 bench/sse_fanout.py --bin .build/release --listeners 1000 --seconds 10
"""
import argparse
import asyncio
import http.client
import json
import os
import pathlib
import resource
import signal
import socket
import statistics
import subprocess
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_sample(pid):
    """(rss in MiB, cpu seconds) from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024
    return rss, cpu


def post(port, text, origin, client="10.0.0.1"):
    # X-Real-IP is trusted from 127.0.0.1 (as from nginx): one address per post keeps the per-client
    # rate limit out of the measurement.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("POST", "/api/chat", body=json.dumps({"nickname": "bench", "text": text}),
                       headers={"Content-Type": "application/json", "Origin": origin, "X-Real-IP": client})
    status = connection.getresponse().status
    connection.close()
    return status


async def listener(port, marker_holder, results, ready, client):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    # One address per listener, as through nginx (onair-api allows 20 streams per address).
    writer.write(f"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n"
                 f"X-Real-IP: {client}\r\n\r\n".encode())
    await writer.drain()
    buffer = b""
    while b"retry:" not in buffer:
        buffer += await reader.read(65536)
    ready.release()
    got = False
    while True:
        chunk = await reader.read(65536)
        if not chunk:
            break
        buffer = (buffer + chunk)[-8192:]
        marker = marker_holder.get("marker")
        if not got and marker and marker.encode() in buffer:
            results.append(time.monotonic() - marker_holder["sent"])
            got = True
        if marker_holder.get("stop"):
            break
    writer.close()


async def fan_out(port, origin, listeners, seconds, pid):
    """One message to every listener (delivery times), then 10 messages/s with all of them connected."""
    marker_holder, results = {"listeners": listeners}, []
    ready = asyncio.Semaphore(0)
    tasks = [asyncio.create_task(listener(port, marker_holder, results, ready, f"10.1.{i // 250}.{i % 250 + 1}"))
             for i in range(listeners)]
    for _ in range(listeners):
        await asyncio.wait_for(ready.acquire(), 60)
    marker_holder["marker"] = f"fanout-{time.time_ns()}"
    marker_holder["sent"] = time.monotonic()
    status = await asyncio.to_thread(post, port, marker_holder["marker"], origin)
    assert status == 201, status
    deadline = time.monotonic() + 60
    while len(results) < listeners and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    _, cpu0 = proc_sample(pid)
    start = time.monotonic()
    sent = 0
    while time.monotonic() - start < seconds:
        await asyncio.to_thread(post, port, f"load {sent}", origin, f"10.1.{sent // 250}.{sent % 250}")
        sent += 1
        await asyncio.sleep(max(0, start + sent / 10 - time.monotonic()))
    rss, cpu1 = proc_sample(pid)
    load = (rss, 100 * (cpu1 - cpu0) / (time.monotonic() - start), sent)
    marker_holder["stop"] = True
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return sorted(results), load


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/release", help="folder with onair-api")
    parser.add_argument("--listeners", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.listeners * 2 + 256)), hard))

    folder = pathlib.Path(tempfile.mkdtemp(prefix="onair-bench-"))
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    (folder / "site").mkdir()
    (folder / "onair-api.yaml").write_text(f"listen: 127.0.0.1:{port}\ndata_dir: ./data\nsite: ./site\npublic_origin: {origin}\n")
    process = subprocess.Popen([str(pathlib.Path(args.bin) / "onair-api"), "--config", str(folder / "onair-api.yaml"),
                                "--log-level", "warning"], stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(1)
        rss0, cpu0 = proc_sample(process.pid)
        time.sleep(args.seconds)
        rss1, cpu1 = proc_sample(process.pid)
        print(f"idle:             RSS {rss1:.1f} MiB, CPU {100 * (cpu1 - cpu0) / args.seconds:.2f} %")

        delays, (rss2, cpu, sent) = asyncio.run(fan_out(port, origin, args.listeners, args.seconds, process.pid))
        p = lambda q: delays[min(len(delays) - 1, int(q * len(delays)))] * 1000
        print(f"fan-out to {len(delays)} SSE listeners: p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, max {delays[-1] * 1000:.1f} ms")
        print(f"10 messages/s to {args.listeners} listeners: RSS {rss2:.1f} MiB, CPU {cpu:.2f} % ({sent} posts)")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


if __name__ == "__main__":
    main()
