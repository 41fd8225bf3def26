"""Listen again's cost (issue 15):

- onaird's CPU per audio minute streaming Ogg Opus 96 kbit/s alone, and the same with `record:` in the
  same format (opus 96) writing every airing, measured in turns on the same rotation (target: < 5 % more);
- `onair build` of the example station with 2 000 recordings beside none: the cold build, the
  no-change rebuild and the rebuild after one new recording.

    python3 bench/run.py recording [--quick] [--bin-dir DIR]
"""
import json
import re
import os
import shutil
import time

from common import WORK, Background, Icecast, ROOT, clean, proc_cpu_seconds, summary, timed, wait_for
from programme_bench import make_tracks


def daemon_config(folder, icecast, music, name, record):
    site = folder / "site"
    site.mkdir(exist_ok=True)
    # One show on air all week: every minute is an airing to record.
    days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    schedule = {"schema": 1, "timezone": "UTC", "upcoming": [], "specials": [],
                "shows": {"bench": {"title": "Bench", "host": None, "url": "/shows/bench/"}},
                "weekly": [{"day": day, "start": "00:00", "end": "24:00", "show": "bench"} for day in days]}
    (site / "schedule.json").write_text(json.dumps(schedule))
    (folder / "source.password").write_text(icecast.password + "\n")
    os.chmod(folder / "source.password", 0o600)
    path = folder / f"{name}.yaml"
    recording = f"record: {{ dir: {folder}/rec-{name}, format: opus, bitrate: 96 }}\n" if record else ""
    path.write_text(f"""site: {site}
interval: 5
control_socket: {folder}/{name}.sock
icecast: {{ url: {icecast.url}, user: source, password_file: {folder}/source.password, listener_mount: /{name}.opus }}
outputs:
  - {{ mount: /{name}.opus, format: opus, bitrate: 96 }}
source: {{ kind: schedule, music: {music}, shuffle: false }}
loudness: false
{recording}""")
    return path


RECORDER_ENCODER = []


def cpu_per_minute(bindir, folder, icecast, music, name, record, window):
    path = daemon_config(folder, icecast, music, name, record)
    process = Background([bindir / "onaird", "--config", path], folder / f"{name}.log")
    try:
        wait_for(lambda: any(s.get("listenurl", "").endswith(f"/{name}.opus") for s in icecast.sources()), 30,
                 f"/{name}.opus on Icecast")
        time.sleep(5)
        start_cpu, start = proc_cpu_seconds(process.pid), time.monotonic()
        time.sleep(window)
        cpu = (proc_cpu_seconds(process.pid) - start_cpu) / ((time.monotonic() - start) / 60)
    finally:
        process.stop()
    if record:  # what the recorder encoded with, from its start line ("packets of /x.opus" or "its own")
        found = re.search(r"record\.encoder=(packets of \S+|its own)", (folder / f"{name}.log").read_text())
        RECORDER_ENCODER.append(found.group(1) if found else "unknown")
    return cpu


def fake_recordings(folder, count):
    """`count` airings spread over the example station's shows: 1 KB of "audio" and a sidecar with 12 tracks each."""
    shows = sorted(p.stem for p in (ROOT / "Content" / "shows").glob("*.md"))
    start = 1_790_000_000
    for index in range(count):
        show = shows[index % len(shows)]
        at = start + index * 3600
        stamp = time.strftime("%Y-%m-%d-%H%M", time.gmtime(at))
        (folder / show).mkdir(parents=True, exist_ok=True)
        (folder / show / f"{stamp}.opus").write_bytes(b"OggS" + bytes(1020))
        sidecar = {"schema": 1, "show": {"slug": show, "title": show}, "start": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at)),
                   "end": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at + 3600)), "live": False, "dj": "Bench",
                   "file": f"{stamp}.opus", "format": "opus", "part": 1,
                   "tracks": [{"offset": t * 300, "text": f"Artist {t} - Title {index}"} for t in range(12)]}
        (folder / show / f"{stamp}.json").write_text(json.dumps(sidecar))


def builds(onair, work, recordings, repeats):
    """Cold, no-change and one-new-recording builds of the example station (wall seconds)."""
    result = {"cold": [], "nochange": [], "one_new": []}
    for run in range(repeats):
        out = work / f"site-{recordings.name if recordings else 'none'}-{run}"
        args = [onair, "build", "--content", ROOT / "Content", "--templates", ROOT / "Templates", "--output", out]
        if recordings:
            args += ["--recordings", recordings]
        env = dict(os.environ, XDG_CACHE_HOME=str(work / f"cache-{run}-{recordings.name if recordings else 'none'}"),
                   SOURCE_DATE_EPOCH="1795000000")
        result["cold"].append(timed(args, env=env)[0])
        result["nochange"].append(timed(args, env=env)[0])
        if recordings:
            (recordings / "night-owls" / "2099-01-01-2200.opus").write_bytes(b"OggS" + bytes(1020))
            (recordings / "night-owls" / "2099-01-01-2200.json").write_text(json.dumps({
                "schema": 1, "show": {"slug": "night-owls", "title": "Night Owls"}, "start": "2099-01-01T21:00:00Z",
                "end": "2099-01-01T22:00:00Z", "live": False, "file": "2099-01-01-2200.opus", "format": "opus",
                "part": 1, "tracks": []}))
            result["one_new"].append(timed(args, env=env)[0])
            for name in ("2099-01-01-2200.opus", "2099-01-01-2200.json"):
                (recordings / "night-owls" / name).unlink()
    return {key: summary(values) for key, values in result.items() if values}


def run(bindir, quick=False):
    work = clean(WORK / "recording")
    window = 15 if quick else 60
    rounds = 1 if quick else 2
    icecast = Icecast(work)
    try:
        music = work / "music"
        make_tracks(music / "rotation", count=3 if quick else 6, seconds=20 if quick else 30)
        alone, recording = [], []
        for round_ in range(rounds):
            alone.append(cpu_per_minute(bindir, work, icecast, music, f"alone{round_}", False, window))
            recording.append(cpu_per_minute(bindir, work, icecast, music, f"rec{round_}", True, window))
    finally:
        icecast.stop()
    count = 200 if quick else 2000
    folder = work / "recordings"
    fake_recordings(folder, count)
    repeats = 1 if quick else 3
    result = {
        "window_s": window, "rounds": rounds,
        "alone_cpu_s_per_audio_min": alone, "recording_cpu_s_per_audio_min": recording,
        "ratio": (sum(recording) / len(recording)) / (sum(alone) / len(alone)),
        "recordings": count,
        "recorder_encoder": sorted(set(RECORDER_ENCODER)),
        "build_none": builds(bindir / "onair", work, None, repeats),
        "build_recordings": builds(bindir / "onair", work, folder, repeats),
    }
    shutil.rmtree(work, ignore_errors=True)
    return result
