"""Cost of several outputs: onaird streaming the same music-like playlist to a private Icecast with
one (Vorbis), two (+ MP3) and three (+ Opus) outputs, beside the floors — `oggenc -q 4`, `lame -b 128`
and `opusenc --bitrate 96` encoding the same audio to files — and one ffmpeg process sending the same
three streams (`-re`, real time). Target: onaird with three outputs <= 1.1 x (sum of the three floors).

CPU seconds per minute of audio come from /proc/PID/stat over the window, peak RSS from VmHWM.
Run: python3 bench/formats_bench.py [--bin DIR] [--quick] [--minutes N] [--window S]
(without --bin it makes release builds in .build-bench, as the other benchmarks do; bench/extras.py
passes --bin and --quick). Results go to bench/results/formats.json.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from common import (WORK, Background, Icecast, binaries, clean, proc_cpu_seconds, proc_peak_rss_mb, save,  # noqa: E402
                    timed, wait_for)

OUTPUTS = [("/radio.ogg", "{ mount: /radio.ogg, format: vorbis, quality: 4 }"),
           ("/radio.mp3", "{ mount: /radio.mp3, format: mp3, bitrate: 128 }"),
           ("/radio.opus", "{ mount: /radio.opus, format: opus, bitrate: 96 }")]


FFMPEG_MOUNTS = ("/ffmpeg.ogg", "/ffmpeg.mp3", "/ffmpeg.opus")


def ffmpeg_three_mounts(target):
    """ffmpeg's output arguments for the three formats onaird sends (Vorbis q4, MP3 128k, Opus 96k),
    each to its mount under `target` (icecast://source:password@host:port)."""
    return ["-map", "0:a", "-c:a", "libvorbis", "-q:a", "4", "-content_type", "audio/ogg", "-f", "ogg",
            f"{target}/ffmpeg.ogg",
            "-map", "0:a", "-c:a", "libmp3lame", "-b:a", "128k", "-content_type", "audio/mpeg",
            "-f", "mp3", f"{target}/ffmpeg.mp3",
            "-map", "0:a", "-c:a", "libopus", "-b:a", "96k", "-ar", "48000",
            "-content_type", "audio/ogg", "-f", "ogg", f"{target}/ffmpeg.opus"]


def make_audio(folder, minutes):
    wav = folder / "music" / "music.wav"
    wav.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", "-e", "signed-integer", wav,
                    "synth", str(minutes * 60), "sine", "110-1760", "sine", "165-1320", "pinknoise",
                    "remix", "1v0.4,3v0.2", "2v0.4,3v0.2", "tremolo", "3", "40"], check=True)
    return wav


def floor(args, minutes, repeats=3):
    runs = [timed(args, cpu=True) for _ in range(repeats)]
    cpu = sorted(r[2] for r in runs)[len(runs) // 2]
    return {"cpu_s_per_audio_min": round(cpu / minutes, 3), "peak_rss_mb": round(max(r[1] for r in runs), 1)}


def floors(wav, folder, minutes):
    return {
        "oggenc_q4": floor(["oggenc", "-Q", "-q", "4", "-o", folder / "floor.ogg", wav], minutes),
        "lame_b128": floor(["lame", "--quiet", "-b", "128", wav, folder / "floor.mp3"], minutes),
        # opusenc resamples 44.1 -> 48 kHz itself, as onaird does once for its Opus output.
        "opusenc_96": floor(["opusenc", "--quiet", "--bitrate", "96", wav, folder / "floor.opus"], minutes),
    }


def onaird_config(folder, icecast, outputs, music):
    (folder / "source.password").write_text(icecast.password + "\n")
    (folder / "source.password").chmod(0o600)
    (folder / "site").mkdir(exist_ok=True)
    path = folder / f"onaird-{len(outputs)}.yaml"
    path.write_text(f"""site: {folder / 'site'}
interval: 5
control_socket: {folder}/onaird-{len(outputs)}.sock
icecast:
  url: {icecast.url}
  user: source
  password_file: {folder}/source.password
  listener_mount: {outputs[0][0]}
outputs:
""" + "".join(f"  - {line}\n" for _, line in outputs) + f"""audio: {{ sample_rate: 44100, channels: 2 }}
source:
  kind: playlist
  path: {music}
  shuffle: false
""")
    return path


def measure(process, icecast, mounts, window):
    wait_for(lambda: all(any(s.get("listenurl", "").endswith(m) for s in icecast.sources()) for m in mounts), 30,
             f"{', '.join(mounts)} on Icecast")
    time.sleep(2)  # start-up (first connection, resampler set-up) is not steady state
    start_cpu, start = proc_cpu_seconds(process.pid), time.monotonic()
    time.sleep(window)
    cpu, elapsed = proc_cpu_seconds(process.pid) - start_cpu, time.monotonic() - start
    result = {"cpu_s_per_audio_min": round(cpu / (elapsed / 60), 3), "peak_rss_mb": round(proc_peak_rss_mb(process.pid), 1),
              "window_s": round(elapsed, 1)}
    process.stop()
    return result


def run(bindir, minutes=10, window=120):
    folder = clean(WORK / "formats")
    wav = make_audio(folder, minutes)
    results = {"audio_minutes": minutes, "window_s": window, "floors": floors(wav, folder, minutes)}
    icecast = Icecast(folder)
    try:
        for count in (1, 2, 3):
            outputs = OUTPUTS[:count]
            config = onaird_config(folder, icecast, outputs, wav.parent)
            onaird = Background([bindir / "onaird", "--config", config], folder / f"onaird-{count}.log")
            results[f"onaird_{count}_outputs"] = measure(onaird, icecast, [m for m, _ in outputs], window)
        target = f"icecast://source:{icecast.password}@127.0.0.1:{icecast.port}"
        ffmpeg = Background(["ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-i", wav, *ffmpeg_three_mounts(target)],
                            folder / "ffmpeg.log")
        results["ffmpeg_3_streams"] = measure(ffmpeg, icecast, list(FFMPEG_MOUNTS), window)
    finally:
        icecast.stop()
    floor_sum = sum(f["cpu_s_per_audio_min"] for f in results["floors"].values())
    results["floor_sum_cpu_s_per_audio_min"] = round(floor_sum, 3)
    results["onaird_3_vs_floor_sum"] = round(results["onaird_3_outputs"]["cpu_s_per_audio_min"] / floor_sum, 2)
    print(json.dumps(results, indent=2), flush=True)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", "--bindir", dest="bindir", type=pathlib.Path,
                        help="folder with a release onaird (default: build one in .build-bench)")
    parser.add_argument("--quick", action="store_true", help="2 minutes of audio, 20 s windows")
    parser.add_argument("--minutes", type=int, default=10, help="minutes of test audio (floors encode all of it)")
    parser.add_argument("--window", type=int, default=120, help="seconds each streamer is measured")
    arguments = parser.parse_args()
    minutes, window = (2, 20) if arguments.quick else (arguments.minutes, arguments.window)
    save("formats", run(arguments.bindir or binaries(("onaird",)), minutes, window))
