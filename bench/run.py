#!/usr/bin/env python3
"""OnAir benchmarks against their peers, in one run: `make bench` (or `python3 bench/run.py`).

    bench/run.py [site|stream|latency|extras|programme|recording|live|soak|report|all] [--quick] [--minutes N]

`live` (bench/live_bench.py): a DJ on the hidden /dj mount -> the DJ at listeners of every output, the
DJ-to-listener delay, and onaird's CPU while live beside the programme and the encoder floors.

`soak` (bench/soak.py) streams for --minutes (60 by default; 5 in `all`) with a title every 30 s and
two Icecast restarts, and reports gaps, drift, titles and onaird's memory over time.

Installs what it needs (Hugo, darkice, wrk, GNU time), builds release binaries, measures, stores
raw numbers in bench/results/*.json and rewrites bench/BENCHMARKS.md with ratios against the peers
measured in the same run. Not a test: CI does not run it.
"""
import argparse
import datetime
import os
import platform
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common  # noqa: E402
from report import write_report  # noqa: E402

PEERS = ["hugo", "darkice", "wrk", "time", "vorbis-tools", "ffmpeg", "sox", "icecast2", "nginx-light",
         "pulseaudio", "libasound2-plugins", "pv"]


def install_peers():
    missing = [p for p in PEERS
               if subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], capture_output=True, text=True)
               .stdout.find("install ok installed") < 0]
    if missing:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)


def versions():
    def first_line(args):
        try:
            out = subprocess.run(args, capture_output=True, text=True, timeout=20)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "unknown"
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        "cpu": next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?"),
        "swift": first_line(["swift", "--version"]),
        "hugo": first_line(["hugo", "version"]),
        "oggenc": first_line(["oggenc", "--version"]),
        "ffmpeg": first_line(["ffmpeg", "-version"]),
        "darkice": first_line(["darkice", "-h"]),
        "icecast": first_line(["dpkg-query", "-W", "-f=${Version}", "icecast2"]),
        "nginx": first_line(["nginx", "-v"]),
        "wrk": first_line(["dpkg-query", "-W", "-f=${Version}", "wrk"]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", nargs="?", default="all", choices=["site", "stream", "latency", "extras", "programme", "recording", "live", "soak", "report", "all"])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and windows, for trying the harness")
    parser.add_argument("--minutes", type=float, default=None, help="soak length (default 60; 5 in `all`)")
    parser.add_argument("--bin-dir", default=None,
                        help="use the onair/onaird in this folder instead of building release binaries")
    parser.add_argument("--repeats", type=int, default=3, help="runs per generator measurement (median, min–max)")
    args = parser.parse_args()
    # SIGTERM (e.g. from a timeout) unwinds like Ctrl-C, so every private server is stopped by PID.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    if args.what != "report":
        if args.what not in ("soak", "programme", "recording"):  # these need no peers, and keep the peers' run's versions
            install_peers()
        bindir = common.pathlib.Path(args.bin_dir).resolve() if args.bin_dir else common.binaries()
        if args.what not in ("soak", "programme", "recording", "live"):  # these keep the peers' run's versions
            common.save("environment", versions())
        if args.what in ("site", "all"):
            from site_bench import run as site
            common.save("site", site(bindir / "onair", sizes=(200,) if args.quick else (1000, 10000),
                                     repeats=1 if args.quick else args.repeats))
        if args.what in ("stream", "all"):
            from stream_bench import run as stream
            static = common.binaries(products=("onaird",), static=True)
            common.save("stream", stream(bindir, window=20 if args.quick else 120, static_bindir=static))
        if args.what in ("latency", "all"):
            from latency_bench import run as latency
            common.save("latency", latency(bindir, changes=30 if args.quick else 200,
                                           stream_changes=5 if args.quick else 20))
        if args.what in ("extras", "all"):
            from extras import run as extras
            extras(bindir, quick=args.quick)
        if args.what in ("programme", "all"):
            from programme_bench import run as programme
            result = programme(bindir, quick=args.quick)
            result["binaries"] = "debug (--bin-dir)" if args.bin_dir and "debug" in args.bin_dir else "release"
            common.save("programme", result)
        if args.what in ("recording", "all"):
            from recording_bench import run as recording
            result = recording(bindir, quick=args.quick)
            result["binaries"] = "debug (--bin-dir)" if args.bin_dir and "debug" in args.bin_dir else "release"
            result["quick"] = args.quick
            common.save("recording", result)
        if args.what in ("live", "all"):
            from live_bench import run as live
            result = live(bindir, quick=args.quick)
            result["date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            result["binaries"] = "debug (--bin-dir)" if args.bin_dir and "debug" in args.bin_dir else "release"
            common.save("live", result)
        if args.what in ("soak", "all"):
            from soak import run as soak
            minutes = args.minutes or (60 if args.what == "soak" else 5)
            result = soak(bindir, minutes=minutes)
            result["binaries"] = "debug (--bin-dir)" if args.bin_dir and "debug" in args.bin_dir else "release"
            common.save("soak", result)
    write_report()
    print("wrote bench/BENCHMARKS.md")


if __name__ == "__main__":
    main()
