"""Benchmarks other helpers own, run from here when their scripts exist:

- `sse_fanout.py` (onair-api's event stream fan-out): needs a release `onair-api`.
- `formats_bench.py` (MP3/Opus outputs).

Their printed lines are stored in bench/results/<name>.json as they are (a script that writes its
own bench/results/<name>.json keeps it), and report.py shows them in BENCHMARKS.md.
"""
import subprocess
import sys

from common import ROOT, RESULTS, binaries, load, save

HERE = ROOT / "bench"


def run_script(name, args, timeout):
    """Runs one script; returns its stdout lines, or raises with its last stderr lines."""
    proc = subprocess.run([sys.executable, HERE / name, *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{name} exited {proc.returncode}: {proc.stderr.strip()[-600:]}")
    return [line for line in proc.stdout.splitlines() if line.strip()]


def accepts(name, flag):
    proc = subprocess.run([sys.executable, HERE / name, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    return flag in proc.stdout


def run(bindir, quick=False):
    done = {}
    if (HERE / "sse_fanout.py").exists():
        try:
            api_bin = binaries(products=("onair-api",))
            lines = run_script("sse_fanout.py", ["--bin", api_bin, "--listeners", 200 if quick else 1000,
                                                 "--seconds", 5 if quick else 10], timeout=900)
            save("sse", {"script": "bench/sse_fanout.py", "output": lines})
        except (subprocess.SubprocessError, RuntimeError, OSError) as error:
            save("sse", {"script": "bench/sse_fanout.py", "error": str(error)})
        done["sse"] = load("sse")
    if (HERE / "formats_bench.py").exists():
        before = (RESULTS / "formats.json").stat().st_mtime if (RESULTS / "formats.json").exists() else None
        try:
            args = []
            if accepts("formats_bench.py", "--bin"):
                args += ["--bin", bindir]
            if quick and accepts("formats_bench.py", "--quick"):
                args.append("--quick")
            lines = run_script("formats_bench.py", args, timeout=1800)
            after = (RESULTS / "formats.json").stat().st_mtime if (RESULTS / "formats.json").exists() else None
            if after is None or after == before:  # the script did not store its own results
                save("formats", {"script": "bench/formats_bench.py", "output": lines})
        except (subprocess.SubprocessError, RuntimeError, OSError) as error:
            save("formats", {"script": "bench/formats_bench.py", "error": str(error)})
        done["formats"] = load("formats")
    return done
