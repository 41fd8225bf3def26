"""Rows about nowplaying.json: onaird SIGKILLed under a supervisor, and a site folder that is full
or read-only."""
import json
import os
import re
import signal
import subprocess
import threading
import time

from common import (ROOT, Icecast, ReconnectingListener, Result, RowFailed, onaird_config, page_state,
                    send_signal, start_onaird, wait_for, onaird_env)


class Reader(threading.Thread):
    """Reads `path` as fast as a busy web server would, parses each read and notes what the page
    would show; stops after `target` reads once `done` is set, or at `deadline`."""

    def __init__(self, path, target, deadline, pause=0.001):
        super().__init__(daemon=True)
        self.path, self.target, self.deadline, self.pause = path, target, deadline, pause
        self.reads = self.bad = self.missing = 0
        self.samples = []  # (monotonic, page state, updated_at)
        self.bad_examples = []
        self.done = threading.Event()

    def run(self):
        while time.monotonic() < self.deadline and not (self.done.is_set() and self.reads >= self.target):
            try:
                data = self.path.read_bytes()
            except FileNotFoundError:
                self.missing += 1
                time.sleep(self.pause)
                continue
            self.reads += 1
            try:
                document = json.loads(data)
                self.samples.append((time.monotonic(), page_state(document), document.get("updated_at")))
            except ValueError:
                self.bad += 1
                if len(self.bad_examples) < 3:
                    self.bad_examples.append(data[:80])
            time.sleep(self.pause)


def restart_sec():
    text = (ROOT / "deploy" / "onaird.service").read_text()
    match = re.search(r"^RestartSec=(\d+)", text, re.M)
    return float(match.group(1)) if match else 0.1


def onaird_sigkill(ctx):
    """onaird killed with SIGKILL N times; a supervisor restarts it as systemd's Restart=on-failure
    with the unit's RestartSec would; nowplaying.json is read all along."""
    count, target = (20, 10_000) if ctx.full else (3, 2_000)
    interval = 1
    work = ctx.folder("onaird-sigkill")
    icecast = ctx.keep(Icecast(work / "icecast"))
    icecast.start()
    config = onaird_config(work / "onaird", icecast, interval=interval)
    nowplaying = work / "onaird" / "site" / "nowplaying.json"
    delay = restart_sec()
    state = {"process": None, "dead_since": None, "stop": False, "starts": 0, "hold": False}

    def supervise():  # Restart=on-failure: a SIGKILL is a failure -> start again after RestartSec
        while not state["stop"]:
            state["process"] = ctx.processes([str(ctx.bin_dir / "onaird"), "--config", str(config)],
                                             work / "onaird.log", env=onaird_env(), cwd=str(config.parent))
            state["starts"] += 1
            state["dead_since"] = None
            state["process"].proc.wait()
            state["dead_since"] = time.monotonic()
            while state["hold"] and not state["stop"]:
                time.sleep(0.05)
            time.sleep(delay)

    supervisor = threading.Thread(target=supervise, daemon=True)
    supervisor.start()
    ctx.on_cleanup(lambda: state.update(stop=True, hold=False))
    if not wait_for(lambda: nowplaying.exists() and page_state(json.loads(nowplaying.read_text())) == "onair", 30):
        raise RowFailed("onaird never showed on air")
    reader = Reader(nowplaying, target, time.monotonic() + (600 if ctx.full else 120))
    reader.start()
    stale_onair = []  # reads showing "on air" while no onaird has run for more than 3 x interval
    previous = None
    for index in range(count):
        # A new process (not the one just killed, which can look alive until it is reaped).
        wait_for(lambda: state["process"] is not previous and state["dead_since"] is None
                 and icecast.source("/radio.ogg"), 30)
        time.sleep(1.5)
        last = index == count - 1
        state["hold"] = last  # the last time it stays down: the page must go to "unknown"
        previous = state["process"]
        send_signal(previous, signal.SIGKILL)
        killed = time.monotonic()
        if last:
            time.sleep(3 * interval + 3)
    unknown_after = None
    for at, shown, _ in reader.samples:
        if at >= killed and shown == "unknown":
            unknown_after = at - killed
            break
    state["hold"] = False
    reader.done.set()
    reader.join(timeout=(600 if ctx.full else 120))
    state["stop"] = True
    if state["process"]:
        state["process"].stop()
    # The last kill's window is the only one longer than 3 x interval + RestartSec margin.
    for at, shown, _ in reader.samples:
        if at > killed + 3 * interval + 1.0 and at < killed + 3 * interval + 3 and shown == "onair":
            stale_onair.append(at - killed)
    ok = reader.bad == 0 and reader.missing == 0 and not stale_onair and unknown_after is not None \
        and unknown_after <= 3 * interval + 1.5 and state["starts"] >= count
    figure = (f"{reader.reads} reads, {reader.bad} unparseable, {reader.missing} missing; "
              f"{state['starts'] - 1} restarts (RestartSec={delay:g}); stale 'on air' {len(stale_onair)}; "
              f"page shows 'unknown' {unknown_after:.1f} s after the kill (document older than 3 x interval = {3 * interval} s)"
              if unknown_after is not None else f"{reader.reads} reads, {reader.bad} unparseable; never 'unknown'")
    if reader.bad_examples:
        figure += f"; e.g. {reader.bad_examples[0]!r}"
    return Result(f"onaird SIGKILLed x{count} under a supervisor", figure, ok)


def site_full(ctx):
    """The site folder on a small tmpfs: filled up, then read-only; the stream goes on and
    nowplaying.json stays whole, and is written again when space returns."""
    hold = 20 if ctx.full else 6
    work = ctx.folder("site-full")
    site = work / "site"
    site.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0755", "onair-faults", str(site)],
                             capture_output=True, text=True, timeout=20)
    if mounted.returncode != 0:
        raise RowFailed(f"cannot mount a tmpfs (root needed): {mounted.stderr.strip()}")
    ctx.on_cleanup(lambda: subprocess.run(["umount", "-l", str(site)], capture_output=True, timeout=20))
    icecast = ctx.keep(Icecast(work / "icecast"))
    icecast.start()
    config = onaird_config(work / "onaird", icecast, site=site, interval=1)
    daemon = start_onaird(ctx.processes, ctx.bin_dir, config, work / "onaird.log")
    nowplaying = site / "nowplaying.json"
    if not wait_for(lambda: icecast.source("/radio.ogg") and nowplaying.exists(), 20):
        raise RowFailed("onaird did not start streaming")
    listener = ReconnectingListener(icecast.mount_url("/radio.ogg")).start()
    ctx.on_cleanup(listener.stop)
    reader = Reader(nowplaying, 0, time.monotonic() + 4 * hold + 60, pause=0.005)
    reader.start()
    time.sleep(3)
    # Full: a filler takes every block left.
    filler = site / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while os.write(descriptor, b"\0" * 4096) > 0:
            pass
    except OSError:
        pass
    finally:
        os.close(descriptor)
    full_at = time.monotonic()
    time.sleep(hold)
    filler.unlink()
    freed_at = time.monotonic()
    resumed_full = wait_for(lambda: updated_after(reader, freed_at), 15)
    # Read-only.
    subprocess.run(["mount", "-o", "remount,ro", str(site)], check=True, timeout=20)
    ro_at = time.monotonic()
    time.sleep(hold)
    subprocess.run(["mount", "-o", "remount,rw", str(site)], check=True, timeout=20)
    rw_at = time.monotonic()
    resumed_ro = wait_for(lambda: updated_after(reader, rw_at), 15)
    reader.done.set()
    reader.join(timeout=30)
    gap = listener.longest_gap(full_at, time.monotonic())
    alive = daemon.alive()
    log = (work / "onaird.log").read_text(errors="replace")
    logged = "cannot update nowplaying.json" in log and "written again" in log
    ok = alive and reader.bad == 0 and reader.missing == 0 and resumed_full and resumed_ro and gap < 2.0 and logged
    figure = (f"{reader.reads} reads, {reader.bad} unparseable, {reader.missing} missing; listener's longest gap "
              f"{gap:.2f} s; written again {fmt(resumed_full, freed_at)} after space returned, "
              f"{fmt(resumed_ro, rw_at)} after rw; error + recovery logged: {'yes' if logged else 'NO'}")
    if not alive:
        figure += "; onaird exited"
    del ro_at
    return Result(f"site folder full / read-only ({hold} s each)", figure, ok)


def updated_after(reader, moment):
    """The monotonic time of the first read, after `moment`, of a document newer than any before it."""
    before = [u for at, _, u in reader.samples if at < moment]
    last = before[-1] if before else None
    for at, _, updated in reader.samples:
        if at >= moment and updated != last:
            return at
    return None


def fmt(moment, since):
    return f"{moment - since:.1f} s" if moment else "never"

