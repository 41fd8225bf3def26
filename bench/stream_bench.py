"""Streaming cost: onaird (playlist, ALSA capture), ffmpeg and darkice sending the same music-like
audio to a private Icecast in real time, beside `oggenc -q 4` encoding it to a file (the floor).

CPU seconds come from /proc/PID/stat at the end of the window, peak RSS from VmHWM. Each streamer
is checked: a listener must receive valid Ogg Vorbis (ogginfo) while it runs.
"""
import os
import pathlib
import subprocess
import time
import urllib.request

from common import (WORK, Background, Icecast, clean, proc_cpu_seconds, proc_memory_breakdown, proc_peak_rss_mb, timed,
                    wait_for)

MINUTES = 10


def make_audio(folder):
    wav = folder / "music" / "music.wav"
    wav.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", "-e", "signed-integer", wav,
                    "synth", str(MINUTES * 60), "sine", "110-1760", "sine", "165-1320", "pinknoise",
                    "remix", "1v0.4,3v0.2", "2v0.4,3v0.2", "tremolo", "3", "40"], check=True)
    raw = folder / "music.raw"
    subprocess.run(["sox", wav, "-t", "raw", "-e", "signed-integer", "-b", "16", raw], check=True)
    return wav, raw


def oggenc_floor(wav, folder, repeats=3):
    runs = [timed(["oggenc", "-Q", "-q", "4", "-o", folder / "floor.ogg", wav], cpu=True) for _ in range(repeats)]
    cpu = sorted(r[2] for r in runs)[len(runs) // 2]
    return {"cpu_s_per_audio_min": cpu / MINUTES, "peak_rss_mb": max(r[1] for r in runs),
            "cpu_runs_s": [round(r[2], 2) for r in runs]}


def oggenc_realtime(wav, seconds):
    """oggenc fed at the audio's own rate (pv -L): what encoding costs a real-time streamer, whose
    encoder wakes up for each piece of audio with cold caches, instead of running flat out."""
    feeder = subprocess.Popen(["pv", "-qL", str(44100 * 4), wav], stdout=subprocess.PIPE)
    encoder = subprocess.Popen(["oggenc", "-Q", "-q", "4", "-", "-o", "/dev/null"], stdin=feeder.stdout)
    feeder.stdout.close()
    try:
        time.sleep(3)
        start_cpu, start = proc_cpu_seconds(encoder.pid), time.monotonic()
        time.sleep(seconds)
        cpu, elapsed = proc_cpu_seconds(encoder.pid) - start_cpu, time.monotonic() - start
        return {"cpu_s_per_audio_min": cpu / (elapsed / 60), "window_s": round(elapsed, 1)}
    finally:
        feeder.kill()
        encoder.kill()
        feeder.wait()
        encoder.wait()


class PulseClock:
    """A private PulseAudio null sink giving ALSA a real-time clock (DESIGN.md recipe)."""

    def __init__(self, folder, raw):
        self.folder = folder
        for d in ("run", "state"):
            (folder / d).mkdir(exist_ok=True)
        self.env = dict(os.environ, PULSE_RUNTIME_PATH=str(folder / "run"), PULSE_STATE_PATH=str(folder / "state"),
                        ALSA_CONFIG_PATH=str(folder / "asound.conf"))
        sock = folder / "pulse.sock"
        (folder / "asound.conf").write_text(
            "</usr/share/alsa/alsa.conf>\n"
            f'pcm.clock {{ type pulse; server "unix:{sock}"; device "s.monitor" }}\n'
            f'pcm.filein {{ type file; slave.pcm "clock"; file "/dev/null"; infile "{raw}"; format "raw" }}\n')
        self.process = Background(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no", "--disable-shm=yes",
             "-L", "module-null-sink sink_name=s rate=44100 channels=2 format=s16le",
             "-L", f"module-native-protocol-unix auth-anonymous=1 socket={sock}"],
            folder / "pulse.log", env=self.env)
        wait_for(sock.exists, 15, "PulseAudio socket")

    def stop(self):
        self.process.stop()


def listen_check(icecast, mount, folder):
    """Fetch ~4 s of the mount and check it with ogginfo."""
    out = folder / f"listen{mount.replace('/', '_')}"
    try:
        with urllib.request.urlopen(f"{icecast.url}{mount}", timeout=5) as response, open(out, "wb") as f:
            end = time.monotonic() + 4
            while time.monotonic() < end:
                f.write(response.read(4096))
    except Exception as error:  # noqa: BLE001
        return f"no stream: {error}"
    check = subprocess.run(["ogginfo", out], capture_output=True, text=True)
    # Joining mid-stream, ogginfo always warns of the gap before the first page and the missing end of
    # stream (and exits 1); what matters is that it decodes a Vorbis stream and reports no error.
    return listener_verdict(check.stdout)


def listener_verdict(ogginfo_output):
    if "Vorbis stream 1:" in ogginfo_output and "Playback length" in ogginfo_output and "ERROR" not in ogginfo_output:
        return "valid Ogg Vorbis"
    return ogginfo_output[-300:]


def measure(process, icecast, mount, window, folder):
    wait_for(lambda: any(s.get("listenurl", "").endswith(mount) for s in icecast.sources()), 30, f"{mount} on Icecast")
    start_cpu = proc_cpu_seconds(process.pid)
    start = time.monotonic()
    time.sleep(window / 2)
    check = listen_check(icecast, mount, folder)
    time.sleep(max(0.0, window - (time.monotonic() - start)))
    cpu = proc_cpu_seconds(process.pid) - start_cpu
    elapsed = time.monotonic() - start
    result = {"cpu_s_per_audio_min": cpu / (elapsed / 60), "peak_rss_mb": proc_peak_rss_mb(process.pid),
              "window_s": round(elapsed, 1), "listener": check, "memory": proc_memory_breakdown(process.pid)}
    process.stop()
    return result


def onaird_config(folder, icecast, mount, source):
    (folder / "source.password").write_text(icecast.password + "\n")
    os.chmod(folder / "source.password", 0o600)
    site = folder / "site"
    site.mkdir(exist_ok=True)
    path = folder / f"onaird{mount.replace('/', '-')}.yaml"
    path.write_text(f"""site: {site}
interval: 5
control_socket: {folder}/onaird{mount.replace('/', '-')}.sock
icecast:
  url: {icecast.url}
  user: source
  password_file: {folder}/source.password
  listener_mount: {mount}
outputs:
  - {{ mount: {mount}, format: vorbis, quality: 4 }}
audio: {{ sample_rate: 44100, channels: 2 }}
source:
{source}
""")
    return path


def run(bindir, window=120, static_bindir=None):
    folder = clean(WORK / "stream")
    wav, raw = make_audio(folder)
    results = {"audio_minutes": MINUTES, "window_s": window, "oggenc_q4": oggenc_floor(wav, folder),
               "oggenc_q4_realtime": oggenc_realtime(wav, min(window, 60))}
    icecast = Icecast(folder)
    pulse = None
    try:
        config = onaird_config(folder, icecast, "/playlist.ogg",
                               f"  kind: playlist\n  path: {wav.parent}\n  shuffle: false")
        onaird = Background([bindir / "onaird", "--config", config], folder / "onaird-playlist.log")
        results["onaird_playlist"] = measure(onaird, icecast, "/playlist.ogg", window, folder)
        if static_bindir:
            # The same daemon with the Swift runtime and Foundation linked in (--static-swift-stdlib).
            onaird = Background([static_bindir / "onaird", "--config", config], folder / "onaird-static.log")
            results["onaird_playlist_static"] = measure(onaird, icecast, "/playlist.ogg", window, folder)

        ffmpeg = Background(["ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-i", wav, "-c:a", "libvorbis",
                             "-q:a", "4", "-content_type", "audio/ogg", "-f", "ogg",
                             f"icecast://source:{icecast.password}@127.0.0.1:{icecast.port}/ffmpeg.ogg"],
                            folder / "ffmpeg.log")
        results["ffmpeg"] = measure(ffmpeg, icecast, "/ffmpeg.ogg", window, folder)

        pulse = PulseClock(folder, raw)
        config = onaird_config(folder, icecast, "/alsa.ogg", "  kind: alsa\n  device: filein")
        onaird = Background([bindir / "onaird", "--config", config], folder / "onaird-alsa.log", env=pulse.env)
        results["onaird_alsa"] = measure(onaird, icecast, "/alsa.ogg", window, folder)

        (folder / "darkice.cfg").write_text(f"""[general]
duration = 0
bufferSecs = 1
[input]
device = filein
sampleRate = 44100
bitsPerSample = 16
channel = 2
[icecast2-0]
bitrateMode = vbr
format = vorbis
quality = 0.4
server = 127.0.0.1
port = {icecast.port}
password = {icecast.password}
mountPoint = darkice.ogg
name = bench
""")
        darkice = Background(["darkice", "-c", folder / "darkice.cfg"], folder / "darkice.log", env=pulse.env)
        results["darkice"] = measure(darkice, icecast, "/darkice.ogg", window, folder)
    finally:
        if pulse:
            pulse.stop()
        icecast.stop()
    print(results, flush=True)
    return results
