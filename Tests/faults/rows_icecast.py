"""Rows about Icecast going away: killed and restarted, and stalled (SIGSTOP, not refused)."""
import signal
import time

from common import (Icecast, ReconnectingListener, Result, RowFailed, onaird_config, start_onaird,
                    wait_for)
from relay import MountRelay

OUTPUTS = [{"mount": "/radio.ogg", "format": "vorbis", "quality": 2},
           {"mount": "/radio.mp3", "format": "mp3", "bitrate": 64}]


def icecast_restarts(ctx):
    """Icecast SIGKILLed and started again N times mid-stream, two outputs, a listener on each."""
    count = 20 if ctx.full else 3
    work = ctx.folder("icecast-restarts")
    icecast = ctx.keep(Icecast(work / "icecast"))
    icecast.start()
    config = onaird_config(work / "onaird", icecast, outputs=OUTPUTS)
    daemon = start_onaird(ctx.processes, ctx.bin_dir, config, work / "onaird.log")
    mounts = [o["mount"] for o in OUTPUTS]
    for mount in mounts:
        if not wait_for(lambda m=mount: icecast.source(m), 20):
            raise RowFailed(f"no source on {mount} at start")
    listeners = {m: ReconnectingListener(icecast.mount_url(m)).start() for m in mounts}
    ctx.on_cleanup(lambda: [listener.stop() for listener in listeners.values()])
    reconnects = {m: 0 for m in mounts}
    gaps = []
    for _ in range(count):
        time.sleep(2)  # mid-stream
        killed = time.monotonic()
        icecast.kill()
        icecast.start()
        for mount in mounts:
            if wait_for(lambda m=mount: icecast.source(m), 40):
                reconnects[mount] += 1
        for mount, listener in listeners.items():
            back = wait_for(lambda l=listener: l.first_byte_after(killed + 0.05), 15)
            gaps.append((back - killed) if back else 99.0)
    alive = daemon.alive()
    worst = max(gaps)
    ok = alive and all(n == count for n in reconnects.values()) and worst < 10
    figure = (", ".join(f"{m} {n}/{count} reconnects" for m, n in reconnects.items())
              + f"; onaird exits {0 if alive else 1}; listener gap per restart median "
              f"{sorted(gaps)[len(gaps) // 2]:.1f} s, max {worst:.1f} s")
    return Result(f"Icecast SIGKILLed + restarted x{count}", figure, ok)


def icecast_stall(ctx):
    """One of two Icecast servers SIGSTOPped (connections stay open, nothing is read) for 30 s
    (8 s quick): the other output keeps its pace; the stalled one recovers after SIGCONT."""
    stall = 30 if ctx.full else 8
    work = ctx.folder("icecast-stall")
    stalled = ctx.keep(Icecast(work / "icecast-a"))
    # The same source password on both: onaird has one.
    healthy = ctx.keep(Icecast(work / "icecast-b", password=stalled.password))
    stalled.start()
    healthy.start()
    relay = MountRelay({"/a.ogg": stalled.port, "/b.ogg": healthy.port}, healthy.port)
    ctx.on_cleanup(relay.close)

    class Via:  # onaird talks to the relay, with the shared password
        url, password = relay.url, stalled.password

    outputs = [{"mount": "/a.ogg", "format": "vorbis", "quality": 2},
               {"mount": "/b.ogg", "format": "vorbis", "quality": 2}]
    config = onaird_config(work / "onaird", Via, outputs=outputs)
    daemon = start_onaird(ctx.processes, ctx.bin_dir, config, work / "onaird.log")
    if not wait_for(lambda: stalled.source("/a.ogg") and healthy.source("/b.ogg"), 20):
        raise RowFailed("onaird did not reach both servers")
    listener_b = ReconnectingListener(healthy.mount_url("/b.ogg")).start()
    ctx.on_cleanup(listener_b.stop)
    time.sleep(6)  # past the burst-on-connect: B's bytes now arrive at the encoder's pace
    before_start = time.monotonic()
    time.sleep(stall)
    before_end = time.monotonic()
    stalled.process.signal(signal.SIGSTOP)
    stop_at = time.monotonic()
    time.sleep(stall)
    stalled.process.signal(signal.SIGCONT)
    cont_at = time.monotonic()
    gap_b = listener_b.longest_gap(stop_at, cont_at)
    rate_before = listener_b.bytes_between(before_start, before_end) / (before_end - before_start)
    rate_during = listener_b.bytes_between(stop_at, cont_at) / (cont_at - stop_at)
    ratio = rate_during / rate_before if rate_before else 0
    listener_a = ReconnectingListener(stalled.mount_url("/a.ogg")).start()
    ctx.on_cleanup(listener_a.stop)
    # Recovered = A has a source and its listener gets a steady stream (more than the burst).
    recovered = wait_for(lambda: stalled.source("/a.ogg") and listener_a.bytes_between(cont_at, time.monotonic()) > 80_000
                         and time.monotonic(), 60, interval=0.2)
    recovery = (recovered - cont_at) if recovered else None
    alive = daemon.alive()
    ok = alive and gap_b < 2.0 and 0.8 < ratio < 1.25 and recovery is not None and recovery < 40
    figure = (f"other server's listener: longest gap {gap_b:.2f} s, rate {ratio:.2f}x the rate before; "
              f"stalled output back {recovery:.1f} s after SIGCONT" if recovery is not None else
              f"other server's listener: longest gap {gap_b:.2f} s, rate {ratio:.2f}x; stalled output never back")
    if not alive:
        figure += "; onaird exited"
    return Result(f"Icecast stalled (SIGSTOP {stall} s)", figure, ok)
