"""libFuzzer over the parsers (Fuzz/build.sh: swiftc -sanitize=fuzzer,address): at least 10^6
inputs each in the full run, 0 crashes. The seed corpora live in Fuzz/Corpus/<target>/; new
inputs the fuzzer finds go to a scratch folder, not into the repository."""
import re
import subprocess
import time

from common import ROOT, Result

TARGETS = ["control", "icecast", "schedule", "frontmatter", "daemonconfig", "apibodies"]
# schedule.md inputs cost ~10 ms per 2 KB under ASan: shorter inputs reach 10^6 in the budget.
MAX_LEN = {"schedule": 1024}


def fuzz(ctx):
    work = ctx.folder("fuzz")
    runs, budget = (1_000_000, 2400) if ctx.full else (None, 4)
    begin = time.monotonic()
    built = subprocess.run([str(ROOT / "Fuzz" / "build.sh")], capture_output=True, text=True, timeout=3600)
    build_seconds = time.monotonic() - begin
    if built.returncode != 0:
        return Result("fuzzing (libFuzzer + ASan)", f"Fuzz/build.sh failed: {built.stderr[-600:]}", False)
    out = ROOT / ".build" / "fuzz"
    figures, ok = [], True
    for name in TARGETS:
        scratch = work / name
        scratch.mkdir(parents=True, exist_ok=True)
        args = [str(out / f"fuzz-{name}"), str(scratch), str(ROOT / "Fuzz" / "Corpus" / name),
                f"-artifact_prefix={work}/{name}-", "-timeout=10", "-rss_limit_mb=2048", f"-max_len={MAX_LEN.get(name, 4096)}",
                f"-max_total_time={budget}", "-print_final_stats=1"]
        if runs:
            args.append(f"-runs={runs}")
        result = subprocess.run(args, capture_output=True, text=True, timeout=budget + 300)
        executed = re.search(r"stat::number_of_executed_units:\s*(\d+)", result.stderr)
        count = int(executed.group(1)) if executed else 0
        crashed = result.returncode != 0
        enough = runs is None or count >= runs
        ok = ok and not crashed and enough
        figures.append(f"{name} {count:,} inputs{' CRASH' if crashed else ''}")
        if crashed:
            crash = re.search(r"(ERROR: .*|Fatal error: .*|SUMMARY: .*)", result.stderr)
            figures[-1] += f" ({crash.group(1)[:160] if crash else 'exit ' + str(result.returncode)}; input in {work})"
    figure = "; ".join(figures) + f"; build {build_seconds:.0f} s"
    return Result("fuzzing (libFuzzer + ASan)", figure, ok)
