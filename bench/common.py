"""Shared pieces of the benchmarks: measuring processes, private servers, statistics, results."""
import json
import os
import pathlib
from secrets import token_hex
import shutil
import signal
import socket
import statistics
import subprocess
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "bench" / "work"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SCRATCH = ".build-bench"


def binaries(products=("onair", "onaird"), static=False):
    """Release builds (in their own scratch folder, so other builds are not disturbed). `static`: the
    Swift runtime and Foundation linked into the executable (`--static-swift-stdlib`)."""
    scratch = SCRATCH + "-static" if static else SCRATCH
    flags = ["--static-swift-stdlib"] if static else []
    for product in products:
        subprocess.run(["swift", "build", "-c", "release", "--scratch-path", scratch, *flags, "--product", product],
                       cwd=ROOT, check=True)
    out = subprocess.run(["swift", "build", "-c", "release", "--scratch-path", scratch, *flags, "--show-bin-path"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    return pathlib.Path(out)


def timed(args, cwd=None, env=None, cpu=False):
    """Runs a command to completion; returns (wall seconds, peak RSS in MB[, CPU seconds])."""
    start = time.monotonic()
    proc = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", *map(str, args)], cwd=cwd, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    user, system, rss_kb = proc.stderr.strip().splitlines()[-1].split()
    if cpu:
        return wall, int(rss_kb) / 1024, float(user) + float(system)
    return wall, int(rss_kb) / 1024


def proc_cpu_seconds(pid):
    """User + system CPU seconds of a live process, from /proc/PID/stat."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def proc_peak_rss_mb(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def proc_memory_breakdown(pid, top=8):
    """Where a live process's resident memory is: smaps_rollup totals (MB) and the largest mappings."""
    rollup = {}
    for line in pathlib.Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, _, rest = line.partition(":")
        if rest.strip().endswith("kB"):
            rollup[key] = round(int(rest.split()[0]) / 1024, 1)
    per_mapping, name = {}, "[anon]"
    for line in pathlib.Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and len(head) >= 5 and ":" not in head[0]:
            name = head[5] if len(head) > 5 else "[anon]"
        elif line.startswith("Rss:"):
            per_mapping[name] = per_mapping.get(name, 0) + int(head[1])
    largest = sorted(per_mapping.items(), key=lambda item: -item[1])[:top]
    return {"rss_mb": rollup.get("Rss"), "pss_anon_mb": rollup.get("Pss_Anon"), "pss_file_mb": rollup.get("Pss_File"),
            "private_dirty_mb": rollup.get("Private_Dirty"), "shared_clean_mb": rollup.get("Shared_Clean"),
            "largest_mappings_mb": {pathlib.Path(n).name or n: round(kb / 1024, 1) for n, kb in largest}}


def summary(values):
    values = sorted(values)
    return {"median": statistics.median(values), "min": values[0], "max": values[-1], "runs": len(values)}


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception:  # noqa: BLE001 - retried until the deadline
            pass
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


class Background:
    """A process started in its own session and always stopped by PID."""

    def __init__(self, args, log, env=None, cwd=None):
        self.log = open(log, "ab")
        self.proc = subprocess.Popen([str(a) for a in args], stdout=self.log, stderr=subprocess.STDOUT,
                                     env=env, cwd=cwd, start_new_session=True)

    @property
    def pid(self):
        return self.proc.pid

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self.log.close()


class Icecast:
    """A private Icecast2 on 127.0.0.1 (run as root: chroot off, change owner to nobody). `dj_mount`: a
    hidden mount with a password of its own (`dj_password`) for a DJ's source client, as deploy/icecast.xml has."""

    def __init__(self, folder, dj_mount=None):
        self.folder = pathlib.Path(folder)
        self.port = free_port()
        self.password = token_hex(8)
        self.dj_password = token_hex(8)
        dj = (f"<mount type=\"normal\"><mount-name>{dj_mount}</mount-name><password>{self.dj_password}</password>"
              "<hidden>1</hidden></mount>" if dj_mount else "")
        logs = self.folder / "icecast-log"
        logs.mkdir(parents=True, exist_ok=True)
        os.chmod(logs, 0o777)
        config = self.folder / "icecast.xml"
        config.write_text(f"""<icecast>
  <limits><clients>2000</clients><sources>8</sources><queue-size>524288</queue-size>
    <burst-size>65535</burst-size></limits>
  <authentication><source-password>{self.password}</source-password>
    <admin-user>admin</admin-user><admin-password>{self.password}</admin-password></authentication>
  <hostname>127.0.0.1</hostname>
  <listen-socket><port>{self.port}</port><bind-address>127.0.0.1</bind-address></listen-socket>
  {dj}
  <paths><basedir>/usr/share/icecast2</basedir><logdir>{logs}</logdir>
    <webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot></paths>
  <logging><errorlog>error.log</errorlog><loglevel>2</loglevel></logging>
  <security><chroot>0</chroot><changeowner><user>nobody</user><group>nogroup</group></changeowner></security>
</icecast>
""")
        self.process = Background(["icecast2", "-c", config], self.folder / "icecast.out")
        wait_for(lambda: self.status() is not None, 15, "Icecast to answer")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def status(self):
        with urllib.request.urlopen(f"{self.url}/status-json.xsl", timeout=2) as response:
            return json.loads(response.read())

    def sources(self):
        source = self.status()["icestats"].get("source", [])
        return source if isinstance(source, list) else [source]

    def stop(self):
        self.process.stop()


def save(name, data):
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def load(name):
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def clean(path):
    path = pathlib.Path(path)
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path
