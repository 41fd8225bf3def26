#!/usr/bin/env python3
"""The fault suite: real Icecast, nginx, Chromium and the built binaries on 127.0.0.1, each row a
fault with its measured figure. Prints a table; exits 1 when a row fails.

    Tests/faults/run.py [--quick] [--only NAME ...] [--bin-dir DIR]

`make faults` runs the full rows (about an hour with fuzzing), `make faults-quick` the short forms
(about 3 minutes, no fuzzing, no API load; scripts/test runs it). See docs/FAULTS.md.
"""
import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from common import ROOT, Processes, Result  # noqa: E402
import rows_api  # noqa: E402
import rows_audio  # noqa: E402
import rows_fuzz  # noqa: E402
import rows_icecast  # noqa: E402
import rows_site  # noqa: E402
import rows_web  # noqa: E402

# (name, function, in the quick run)
ROWS = [
    ("icecast-restarts", rows_icecast.icecast_restarts, True),
    ("onaird-sigkill", rows_site.onaird_sigkill, True),
    ("icecast-stall", rows_icecast.icecast_stall, True),
    ("site-full", rows_site.site_full, True),
    ("odd-files", rows_audio.odd_files, True),
    ("xss", rows_web.xss, True),
    ("secrets", rows_web.secrets, True),
    ("api-load", rows_api.api_load, False),  # 5 minutes: full run only
    ("fuzz", rows_fuzz.fuzz, False),  # the instrumented build takes minutes: full run only
]


class Context:
    def __init__(self, bin_dir, root, full):
        self.bin_dir, self.root, self.full = bin_dir, root, full
        self.processes = Processes()
        self.cleanups = []
        self.kept = []

    def folder(self, name):
        path = self.root / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def keep(self, icecast):
        self.kept.append(icecast)
        return icecast

    def on_cleanup(self, action):
        self.cleanups.append(action)

    def close(self):
        for action in reversed(self.cleanups):
            try:
                action()
            except Exception:  # noqa: BLE001 - best effort
                pass
        self.processes.stop_all()
        for server in self.kept:
            try:
                server.process and server.process.signal(18)  # SIGCONT, in case a row stopped it
                server.cleanup()
            except Exception:  # noqa: BLE001
                pass


def bin_dir_default():
    out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    return pathlib.Path(out.stdout.strip())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the short forms (scripts/test)")
    parser.add_argument("--only", nargs="*", default=None, help="row names: " + ", ".join(r[0] for r in ROWS))
    parser.add_argument("--bin-dir", default=os.environ.get("ONAIR_BIN_DIR"))
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs) for a look")
    args = parser.parse_args()
    bin_dir = (pathlib.Path(args.bin_dir) if args.bin_dir else bin_dir_default()).resolve()
    for name in ("onair", "onaird"):
        if not (bin_dir / name).exists():
            sys.exit(f"faults: {bin_dir / name} is missing: run `swift build` first (or set ONAIR_BIN_DIR)")
    rows = [r for r in ROWS if (args.only is None or r[0] in args.only) and (not args.quick or r[2])]
    if args.only:
        unknown = set(args.only) - {r[0] for r in ROWS}
        if unknown:
            sys.exit(f"faults: no row named {', '.join(sorted(unknown))}")
    work = pathlib.Path(tempfile.mkdtemp(prefix="onair-faults-"))
    results = []
    started = time.monotonic()
    for name, function, _ in rows:
        print(f"==> {name}", flush=True)
        context = Context(bin_dir, work / name, full=not args.quick)
        begin = time.monotonic()
        try:
            result = function(context)
        except Exception as error:  # noqa: BLE001 - a row that breaks is a failed row
            result = Result(name, f"{type(error).__name__}: {error}"[:400], False)
            traceback.print_exc()
        finally:
            context.close()
        result.seconds = time.monotonic() - begin
        print(f"    {'pass' if result.ok else 'FAIL'}  {result.figure}  ({result.seconds:.0f} s)", flush=True)
        results.append(result)
    print()
    print(table(results))
    print(f"\n{sum(r.ok for r in results)}/{len(results)} rows passed in {time.monotonic() - started:.0f} s")
    if args.keep or not all(r.ok for r in results):
        print(f"logs: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(r.ok for r in results) else 1


def table(results):
    lines = ["| row | figure | result |", "|---|---|---|"]
    for r in results:
        lines.append(f"| {r.row} | {r.figure.replace('|', '/')} | {'pass' if r.ok else 'FAIL'} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
