"""The schedule source's own cost (issue 14), with onaird streaming Ogg Vorbis q4 to a private Icecast:

- CPU per audio minute of a rotation with `loudness: -16` and `crossfade: 2` beside the same rotation
  with both off (target: within 10 %), measured in turns on the same files;
- the first play of a 10 000-file library: seconds from starting onaird to the first audio bytes at a
  listener, with no loudness measured yet (the first play must not wait for measuring).

    python3 bench/run.py programme [--quick] [--bin-dir DIR]
"""
import json
import os
import shutil
import subprocess
import time
import urllib.request

from common import WORK, Background, Icecast, clean, proc_cpu_seconds, wait_for

SCHEDULE = {"schema": 1, "timezone": "UTC", "shows": {}, "weekly": [], "specials": [], "upcoming": []}


def make_tracks(folder, count=6, seconds=30):
    """`count` music-like tracks at levels 12 dB apart in turns, so the gains really differ."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        wav = folder / f"t{index}.wav"
        gain = -3 if index % 2 == 0 else -15
        subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", "-e", "signed-integer", str(wav),
                        "synth", str(seconds), "sine", f"{110 + 20 * index}-{1200 + 50 * index}", "sine", "165-1320",
                        "pinknoise", "remix", "1v0.4,3v0.2", "2v0.4,3v0.2", "tremolo", "3", "40", "gain", str(gain)],
                       check=True)
        subprocess.run(["oggenc", "-Q", "-q", "4", "-a", "Bench", "-t", f"Track {index}", "-o",
                        str(folder / f"{index:02d}.ogg"), str(wav)], check=True)
        wav.unlink()


def config(folder, icecast, music, loudness, crossfade, name):
    site = folder / "site"
    site.mkdir(exist_ok=True)
    (site / "schedule.json").write_text(json.dumps(SCHEDULE))
    (folder / "source.password").write_text(icecast.password + "\n")
    os.chmod(folder / "source.password", 0o600)
    path = folder / f"{name}.yaml"
    path.write_text(f"""site: {site}
interval: 5
control_socket: {folder}/{name}.sock
icecast: {{ url: {icecast.url}, user: source, password_file: {folder}/source.password, listener_mount: /{name}.ogg }}
outputs:
  - {{ mount: /{name}.ogg, format: vorbis, quality: 4 }}
source: {{ kind: schedule, music: {music}, shuffle: false }}
loudness: {loudness}
crossfade: {crossfade}
""")
    return path


def cpu_per_minute(bindir, folder, icecast, music, loudness, crossfade, name, window):
    path = config(folder, icecast, music, loudness, crossfade, name)
    env = dict(os.environ, XDG_CACHE_HOME=str(folder / f"cache-{name}"))
    process = Background([bindir / "onaird", "--config", path], folder / f"{name}.log", env=env)
    try:
        wait_for(lambda: any(s.get("listenurl", "").endswith(f"/{name}.ogg") for s in icecast.sources()), 30,
                 f"/{name}.ogg on Icecast")
        if loudness != "false":  # steady state: every file measured once (then remembered) before the window
            cache = folder / f"cache-{name}" / "onair" / "loudness.tsv"
            tracks = len(list((music / "rotation").glob("*.ogg")))
            wait_for(lambda: cache.exists() and len(cache.read_text().splitlines()) >= tracks, 180, "every file measured")
        time.sleep(10)
        start_cpu, start = proc_cpu_seconds(process.pid), time.monotonic()
        time.sleep(window)
        return (proc_cpu_seconds(process.pid) - start_cpu) / ((time.monotonic() - start) / 60)
    finally:
        process.stop()


def first_audio(bindir, folder, icecast, files):
    """10 000 names (hard links of one short track) in rotation/, nothing measured yet."""
    music = folder / "library"
    rotation = music / "rotation"
    rotation.mkdir(parents=True)
    make_tracks(folder / "one", count=1, seconds=5)
    one = folder / "one" / "00.ogg"
    for index in range(files):
        os.link(one, rotation / f"{index:05d}.ogg")
    path = config(folder, icecast, music, -16, 0, "first")
    env = dict(os.environ, XDG_CACHE_HOME=str(folder / "cache-first"))
    start = time.monotonic()
    process = Background([bindir / "onaird", "--config", path], folder / "first.log", env=env)
    try:
        wait_for(lambda: any(s.get("listenurl", "").endswith("/first.ogg") for s in icecast.sources()), 60,
                 "/first.ogg on Icecast")
        with urllib.request.urlopen(f"{icecast.url}/first.ogg", timeout=30) as response:
            received = 0
            while received < 16_384:
                chunk = response.read(4096)
                if not chunk:
                    break
                received += len(chunk)
        return time.monotonic() - start
    finally:
        process.stop()


def run(bindir, quick=False):
    folder = clean(WORK / "programme")
    icecast = Icecast(folder / "icecast")
    try:
        music = folder / "music"
        track_s = 20 if quick else 30
        make_tracks(music / "rotation", count=6, seconds=track_s)
        window = 30 if quick else 120
        rounds = 1 if quick else 2
        plain, shaped = [], []
        for turn in range(rounds):  # in turns, so machine noise falls on both alike
            plain.append(cpu_per_minute(bindir, folder, icecast, music, "false", 0, f"plain{turn}", window))
            shaped.append(cpu_per_minute(bindir, folder, icecast, music, -16, 2, f"shaped{turn}", window))
        files = 1000 if quick else 10_000
        first = first_audio(bindir, folder, icecast, files)
        return {"window_s": window, "rounds": rounds, "track_s": track_s, "plain_cpu_s_per_audio_min": plain,
                "shaped_cpu_s_per_audio_min": shaped,
                "ratio": (sum(shaped) / len(shaped)) / (sum(plain) / len(plain)),
                "library_files": files, "first_audio_s": first}
    finally:
        icecast.stop()
        shutil.rmtree(folder / "library", ignore_errors=True)
