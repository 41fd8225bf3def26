"""A live DJ on every mount (issue #13), measured with a real Icecast on 127.0.0.1, a real source client
(ffmpeg) on the hidden /dj mount and real listeners (HTTP, decoded by ffmpeg as the bytes arrive):

- DJ connects -> the DJ's audio at a listener of /radio.opus, /radio.ogg and /radio.mp3. The programme is
  a 440 Hz tone, the DJ 880 Hz (both with a little noise, so the encoders spend bitrates music would). The
  connection is the moment /dj appears in Icecast's admin list (polled every 20 ms; the DJ's ffmpeg has
  sent ~0.1 s of audio by then); a listener "has" the DJ when the 880 Hz tone is the stronger one in the
  decoded audio (the middle of the fade), and the fade "begins" when it reaches a tenth of its level.
- DJ-to-listener delay: the DJ switches to 1320 Hz at a moment we choose. ffmpeg encodes the PCM we write
  to its stdin at the wall clock's pace and sends 20 ms Ogg pages (`-page_duration`); a listener of /dj
  shows when the marker reached Icecast (what onaird reads), the output listeners when it reached them.
- DJ hangs up -> the programme at the listener (from the DJ's ffmpeg exiting), and how much of what the
  DJ sent last is never heard (the delay less the DJ's last sound at the listener after hanging up).
  Times are when the audio arrives in the listener's stream. A player also holds what Icecast sent on
  connecting (its burst, 64 KB here as Debian's default) ahead of what it plays: "heard" adds that buffer.
- CPU per audio minute of onaird while a DJ is live (decoding the DJ's Ogg Vorbis 128 kbit/s and encoding
  Vorbis q4, MP3 128 kbit/s and Opus 96 kbit/s), beside the same daemon playing the programme (a WAV
  playlist of music-like audio) in turns, beside the floors (oggenc, lame, opusenc on the same audio and
  oggdec decoding the DJ's stream) and beside one ffmpeg reading /dj and sending the same three streams.

    python3 bench/run.py live [--quick] [--bin-dir DIR]
"""
import base64
import json
import os
import subprocess
import threading
import time
import urllib.request
import wave

import numpy

from common import WORK, Background, Icecast, clean, proc_cpu_seconds, proc_peak_rss_mb, summary, timed, wait_for
from formats_bench import FFMPEG_MOUNTS, ffmpeg_three_mounts, floors, make_audio

RATE = 44100
PROGRAMME, DJ, MARKER = 440, 880, 1320
OUTPUTS = [("/radio.opus", "{ mount: /radio.opus, format: opus, bitrate: 96 }"),
           ("/radio.ogg", "{ mount: /radio.ogg, format: vorbis, quality: 4 }"),
           ("/radio.mp3", "{ mount: /radio.mp3, format: mp3, bitrate: 128 }")]
DJ_CODECS = {
    "vorbis": ["-c:a", "libvorbis", "-b:a", "128k", "-page_duration", "20000", "-content_type", "application/ogg",
               "-f", "ogg"],
    "opus": ["-c:a", "libopus", "-b:a", "96k", "-page_duration", "20000", "-content_type", "application/ogg",
             "-f", "ogg"],
    "mp3": ["-c:a", "libmp3lame", "-b:a", "128k", "-content_type", "audio/mpeg", "-f", "mp3"],
}
TONE, NOISE = 0.3, 0.02


# -- the station ---------------------------------------------------------------------------------
def station_config(folder, icecast, name, music):
    site = folder / f"site-{name}"
    site.mkdir(exist_ok=True)
    (folder / "source.password").write_text(icecast.password + "\n")
    os.chmod(folder / "source.password", 0o600)
    path = folder / f"{name}.yaml"
    path.write_text(f"""site: {site}
interval: 5
control_socket: {folder}/{name}.sock
icecast: {{ url: {icecast.url}, user: source, password_file: {folder}/source.password, listener_mount: /radio.ogg }}
outputs:
""" + "".join(f"  - {line}\n" for _, line in OUTPUTS) + f"""audio: {{ sample_rate: {RATE}, channels: 2 }}
source: {{ kind: playlist, path: {music}, shuffle: false }}
loudness: false
live: {{ mount: /dj }}
""")
    return path, site / "nowplaying.json"


def nowplaying(path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def is_live(path):
    return bool((nowplaying(path).get("live") or {}).get("is_live"))


def tone_wav(path, frequency, seconds):
    """A sine with a little white noise, 16-bit stereo: a programme the encoders spend real bitrates on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = numpy.random.default_rng(7)
    t = numpy.arange(int(seconds * RATE)) / RATE
    mono = TONE * numpy.sin(2 * numpy.pi * frequency * t) + NOISE * rng.standard_normal(len(t))
    pcm = (numpy.clip(mono, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(numpy.repeat(pcm, 2).tobytes())
    return path


def poll(predicate, timeout, what, every=0.02):
    """wait_for at a finer grain: returns the moment `predicate` first held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return time.monotonic()
        except Exception:  # noqa: BLE001 - retried until the deadline
            pass
        time.sleep(every)
    raise RuntimeError(f"timed out waiting for {what}")


def dj_connected(icecast):
    """True once a source is on /dj (hidden: only the admin list shows it)."""
    request = urllib.request.Request(f"{icecast.url}/admin/listmounts", headers={
        "Authorization": "Basic " + base64.b64encode(f"admin:{icecast.password}".encode()).decode()})
    with urllib.request.urlopen(request, timeout=2) as response:
        return b'mount="/dj"' in response.read()


# -- the DJ and the listeners ----------------------------------------------------------------------
class ToneDJ:
    """ffmpeg as the DJ's source client, fed PCM on stdin at the wall clock's pace by a thread of ours:
    880 Hz until `switch()`, then 1320 Hz; `switched_at` is when the first 1320 Hz block was written."""

    BLOCK = RATE // 100  # 10 ms

    def __init__(self, icecast, codec, log, seconds=60):
        self.process = subprocess.Popen(
            # No probing of the raw input: ffmpeg connects ~0.1 s after its start, not after 1 s of our audio.
            ["ffmpeg", "-v", "error", "-probesize", "32", "-analyzeduration", "0",
             "-f", "s16le", "-ar", str(RATE), "-ac", "2", "-i", "pipe:0",
             *DJ_CODECS[codec], "-flush_packets", "1", "-ice_name", "Bench DJ", "-metadata", "artist=Bench DJ",
             "-metadata", "title=Live Set",
             f"icecast://source:{icecast.dj_password}@127.0.0.1:{icecast.port}/dj"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=open(log, "ab"), start_new_session=True)
        self.frequency = DJ
        self.switch_requested = False
        self.switched_at = None
        self.stop_at = time.monotonic() + seconds
        self.rng = numpy.random.default_rng(11)
        self.thread = threading.Thread(target=self.feed, daemon=True)
        self.thread.start()

    def feed(self):
        start, block, phase = time.monotonic(), 0, 0.0
        step = numpy.arange(self.BLOCK)
        try:
            while time.monotonic() < self.stop_at:
                delay = start + block * self.BLOCK / RATE - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                switching = self.switch_requested and self.switched_at is None
                frequency = MARKER if switching or self.switched_at else DJ
                angles = phase + 2 * numpy.pi * frequency * step / RATE
                phase = (phase + 2 * numpy.pi * frequency * self.BLOCK / RATE) % (2 * numpy.pi)
                mono = TONE * numpy.sin(angles) + NOISE * self.rng.standard_normal(self.BLOCK)
                data = numpy.repeat((numpy.clip(mono, -1, 1) * 32767).astype("<i2"), 2).tobytes()
                if switching:
                    self.switched_at = time.monotonic()
                self.process.stdin.write(data)
                self.process.stdin.flush()
                block += 1
        except (BrokenPipeError, ValueError, OSError):
            pass

    def switch(self, timeout=2):
        self.switch_requested = True
        wait_for(lambda: self.switched_at is not None, timeout, "the DJ's switch to the marker tone")
        return self.switched_at

    def leave(self):
        """Ends the input: ffmpeg sends what it holds and hangs up. Returns when it has exited."""
        self.stop_at = 0
        self.thread.join(timeout=5)
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        return time.monotonic()


class Ear:
    """A listener on one mount: reads it over HTTP (noting when each byte arrived) and pipes it into ffmpeg,
    which decodes it to mono PCM as it comes (noting when each sample came out)."""

    def __init__(self, url, log):
        self.url = url
        self.byte_marks, self.sample_marks = [], []  # (monotonic time, total so far)
        self.pcm, self.data = bytearray(), bytearray()
        self.stopping = False
        self.decoder = subprocess.Popen(
            ["ffmpeg", "-nostdin", "-v", "error", "-fflags", "nobuffer", "-i", "pipe:0", "-f", "s16le", "-ac", "1",
             "-ar", str(RATE), "-flush_packets", "1", "pipe:1"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(log, "ab"), start_new_session=True)
        self.threads = [threading.Thread(target=self.receive, daemon=True),
                        threading.Thread(target=self.decode, daemon=True)]
        for thread in self.threads:
            thread.start()

    def receive(self):
        total = 0
        try:
            with urllib.request.urlopen(self.url, timeout=10) as response:
                while not self.stopping:
                    chunk = response.read1(4096)
                    if not chunk:
                        break
                    total += len(chunk)
                    self.data += chunk
                    self.byte_marks.append((time.monotonic(), total))
                    self.decoder.stdin.write(chunk)
                    self.decoder.stdin.flush()
        except (OSError, ValueError):
            pass
        finally:
            try:
                self.decoder.stdin.close()
            except OSError:
                pass

    def decode(self):
        while True:
            chunk = self.decoder.stdout.read1(8192)
            if not chunk:
                break
            self.pcm += chunk
            self.sample_marks.append((time.monotonic(), len(self.pcm) // 2))

    def stop(self):
        self.stopping = True
        for thread in self.threads:
            thread.join(timeout=5)
        if self.decoder.poll() is None:
            self.decoder.kill()
        self.decoder.wait(timeout=5)

    def chains_after(self, moment):
        """Arrival times of the first pages of new chained Ogg streams (a new title) after `moment`."""
        times = numpy.array([at for at, _ in self.byte_marks])
        totals = numpy.array([total for _, total in self.byte_marks])
        out, offset = [], self.data.find(b"OggS")
        while offset >= 0:
            if len(self.data) > offset + 5 and self.data[offset + 5] & 0x02:  # beginning of a logical stream
                at = float(times[min(len(times) - 1, numpy.searchsorted(totals, offset + 28))])
                if at > moment:
                    out.append(at)
            offset = self.data.find(b"OggS", offset + 4)
        return out

    def burst(self):
        """What this listener holds ahead of the live edge: Icecast's burst on connecting (bytes, and seconds of
        this mount's audio), from a straight line through bytes received over time after the first 10 s."""
        first = self.byte_marks[0][0]
        steady = [(at - first, total) for at, total in self.byte_marks if at >= first + 10]
        rate, burst = numpy.polyfit([at for at, _ in steady], [total for _, total in steady], 1)
        return burst, burst / rate, rate * 8 / 1000


WINDOW, HOP = 2048, RATE // 100  # ~46 ms windows every 10 ms


def tone_levels(samples):
    """Amplitude of the programme, DJ and marker tones in each window (rows), Hann-windowed."""
    frames = numpy.lib.stride_tricks.sliding_window_view(samples, WINDOW)[::HOP]
    hann = numpy.hanning(WINDOW)
    t = numpy.arange(WINDOW) / RATE
    basis = hann[:, None] * numpy.exp(-2j * numpy.pi * numpy.outer(t, (PROGRAMME, DJ, MARKER)))
    return numpy.abs(frames @ basis) * 2 / hann.sum()


def first_lasting(condition, start=0, hold=20):
    """Index of the first window from `start` where `condition` holds for `hold` windows in a row (200 ms)."""
    run = 0
    for index in range(start, len(condition)):
        run = run + 1 if condition[index] else 0
        if run >= hold:
            return index - hold + 1
    return None


def analyse(ear, since, marks):
    """When the DJ, the marker and the programme again arrived at this listener, as monotonic times.
    `marks`: {"connect": t, "marker": t, "leave": t}."""
    marks_now = list(ear.sample_marks)
    times = numpy.array([at for at, _ in marks_now])
    totals = numpy.array([total for _, total in marks_now])
    first = int(totals[max(0, numpy.searchsorted(times, since) - 1)])
    data = bytes(ear.pcm[first * 2:totals[-1] * 2])
    samples = numpy.frombuffer(data, dtype="<i2").astype(numpy.float64) / 32768
    levels = tone_levels(samples)
    centres = first + numpy.arange(len(levels)) * HOP + WINDOW // 2
    arrivals = times[numpy.minimum(len(times) - 1, numpy.searchsorted(totals, centres))]

    def arrival(window):
        return float(arrivals[window])

    def window_after(moment):
        return int(numpy.searchsorted(arrivals, moment))

    programme, dj, marker = levels[:, 0], levels[:, 1], levels[:, 2]
    result = {}
    on = first_lasting(dj > programme, window_after(marks["connect"]))
    if on is not None:
        steady = float(numpy.median(dj[on + 100:on + 200]))
        begin = on
        while begin > 0 and dj[begin - 1] > 0.1 * steady:
            begin -= 1
        result["fade_begins"], result["dj"] = arrival(begin) - marks["connect"], arrival(on) - marks["connect"]
    switch = first_lasting(marker > dj, window_after(marks["marker"]))
    if switch is not None:
        result["marker"] = arrival(switch) - marks["marker"]
        # The DJ's last sound at this listener after they hung up: what they sent in the seconds before is lost.
        level = float(numpy.median(marker[switch + 50:switch + 150]))
        after = window_after(marks["leave"])
        heard = numpy.nonzero(marker[after:after + 500] > 0.1 * level)[0]
        if len(heard):
            result["dj_tail_lost"] = result["marker"] - (arrival(after + int(heard[-1])) - marks["leave"])
    back = first_lasting(programme > numpy.maximum(dj, marker), window_after(marks["leave"]))
    if back is not None:
        result["programme"] = arrival(back) - marks["leave"]
    return result


# -- the timings -----------------------------------------------------------------------------------
def delays(bindir, folder, icecast, runs):
    """`runs`: the DJ's codec for each run in turn. Listeners stay on all three mounts throughout."""
    music = folder / "programme"
    tone_wav(music / "tone.wav", PROGRAMME, 600)
    config, np_path = station_config(folder, icecast, "delays", music)
    daemon = Background([bindir / "onaird", "--config", config], folder / "onaird-delays.log")
    ears = {}
    rows = []
    try:
        wait_for(lambda: all(any(s.get("listenurl", "").endswith(m) for s in icecast.sources()) for m, _ in OUTPUTS),
                 30, "the three mounts on Icecast")
        time.sleep(8)  # Icecast's queue holds a whole burst (64 KB) before the listeners come
        ears = {mount: Ear(f"{icecast.url}{mount}", folder / f"ear{mount.replace('/', '-')}.log")
                for mount, _ in OUTPUTS}
        time.sleep(8)  # past every listener's burst and ffmpeg's probing
        for number, codec in enumerate(runs):
            since = time.monotonic()
            time.sleep(1)
            dj = ToneDJ(icecast, codec, folder / f"dj-{number}.log")
            marks, dj_ear = {"launch": time.monotonic()}, None
            try:
                marks["connect"] = poll(lambda: dj_connected(icecast), 10, "the DJ on /dj") - 0.01
                # A listener on /dj too: what reached Icecast from the DJ, and when (onaird's input).
                dj_ear = Ear(f"{icecast.url}/dj", folder / f"ear-dj-{number}.log")
                marks["nowplaying"] = poll(lambda: is_live(np_path), 15, "nowplaying.json to say live")
                time.sleep(max(0.0, marks["connect"] + 8 - time.monotonic()))
                marks["marker"] = dj.switch()
                time.sleep(4)
            finally:
                marks["leave"] = dj.leave()
                if dj_ear:
                    dj_ear.stop()
            marks["nowplaying_back"] = poll(lambda: not is_live(np_path), 15,
                                            "nowplaying.json to say the programme is back")
            time.sleep(4)
            row = {"codec": codec, "connect_after_launch": marks["connect"] - marks["launch"],
                   "nowplaying_live": marks["nowplaying"] - marks["connect"],
                   "nowplaying_back": marks["nowplaying_back"] - marks["leave"],
                   "marker_at_icecast": analyse(dj_ear, since, marks).get("marker"),
                   "mounts": {mount: analyse(ear, since, marks) for mount, ear in ears.items()}}
            print(json.dumps(row), flush=True)
            rows.append(row)
        bursts = {}
        for mount, ear in ears.items():
            size, seconds, kbps = ear.burst()
            bursts[mount] = {"bytes": round(float(size)), "seconds": round(float(seconds), 2),
                             "kbit_s": round(float(kbps), 1)}
    finally:
        for ear in ears.values():
            ear.stop()
        daemon.stop()
    return rows, bursts


def per_mount(rows, key, codecs=None):
    out = {}
    for mount, _ in OUTPUTS:
        values = [row["mounts"][mount][key] for row in rows
                  if key in row["mounts"][mount] and (codecs is None or row["codec"] in codecs)]
        out[mount] = summary(values) if values else None
    return out


# -- the CPU ---------------------------------------------------------------------------------------
def cpu_window(pid, window):
    start_cpu, start = proc_cpu_seconds(pid), time.monotonic()
    time.sleep(window)
    return (proc_cpu_seconds(pid) - start_cpu) / ((time.monotonic() - start) / 60)


def dj_file(icecast, recording, log):
    """A DJ sending a ready Ogg Vorbis file in real time (`-c copy`: the DJ's side costs nothing here)."""
    return Background(["ffmpeg", "-nostdin", "-v", "error", "-re", "-stream_loop", "-1", "-i", recording, "-c", "copy",
                       "-ice_name", "Bench DJ", "-content_type", "application/ogg", "-f", "ogg",
                       f"icecast://source:{icecast.dj_password}@127.0.0.1:{icecast.port}/dj"], log)


def cpu(bindir, folder, icecast, minutes, window, rounds):
    wav = make_audio(folder, minutes)
    recording = folder / "dj.ogg"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", wav, "-c:a", "libvorbis", "-b:a", "128k",
                    recording], check=True)
    result = {"audio_minutes": minutes, "window_s": window, "rounds": rounds,
              "floors": floors(wav, folder, minutes)}
    runs = [timed(["oggdec", "-Q", "-o", "/dev/null", recording], cpu=True) for _ in range(3)]
    result["floors"]["oggdec_dj"] = {"cpu_s_per_audio_min": round(sorted(r[2] for r in runs)[1] / minutes, 3),
                                     "peak_rss_mb": round(max(r[1] for r in runs), 1)}
    config, np_path = station_config(folder, icecast, "cpu", wav.parent)
    daemon = Background([bindir / "onaird", "--config", config], folder / "onaird-cpu.log")
    programme, live = [], []
    try:
        wait_for(lambda: all(any(s.get("listenurl", "").endswith(m) for s in icecast.sources()) for m, _ in OUTPUTS),
                 30, "the three mounts on Icecast")
        time.sleep(5)
        for round_ in range(rounds):
            programme.append(cpu_window(daemon.pid, window))
            dj = dj_file(icecast, recording, folder / f"dj-cpu-{round_}.log")
            try:
                wait_for(lambda: is_live(np_path), 20, "the DJ live")
                time.sleep(3)  # past the fade: the programme is not read at all
                live.append(cpu_window(daemon.pid, window))
                if not is_live(np_path):
                    raise RuntimeError("the DJ went off air during the window")
            finally:
                dj.stop()
            wait_for(lambda: not is_live(np_path), 20, "the programme back")
            time.sleep(3)
        result["onaird_peak_rss_mb"] = round(proc_peak_rss_mb(daemon.pid), 1)
    finally:
        daemon.stop()
    result["onaird_programme_cpu_s_per_audio_min"] = programme
    result["onaird_live_cpu_s_per_audio_min"] = live

    # The peer: one ffmpeg taking the DJ's mount and sending the same three streams.
    dj = dj_file(icecast, recording, folder / "dj-ffmpeg.log")
    relay = None
    try:
        wait_for(lambda: dj_connected(icecast), 10, "the DJ on /dj")
        target = f"icecast://source:{icecast.password}@127.0.0.1:{icecast.port}"
        relay = Background(["ffmpeg", "-nostdin", "-v", "error", "-i", f"{icecast.url}/dj", *ffmpeg_three_mounts(target)],
                           folder / "ffmpeg-relay.log")
        wait_for(lambda: all(any(s.get("listenurl", "").endswith(m) for s in icecast.sources())
                             for m in FFMPEG_MOUNTS), 30, "ffmpeg's three mounts")
        time.sleep(3)
        result["ffmpeg_relay_cpu_s_per_audio_min"] = cpu_window(relay.pid, window)
    finally:
        if relay:
            relay.stop()
        dj.stop()
    floor_sum = sum(result["floors"][k]["cpu_s_per_audio_min"] for k in ("oggenc_q4", "lame_b128", "opusenc_96"))
    result["encode_floor_sum"] = round(floor_sum, 3)
    result["live_floor_sum"] = round(floor_sum + result["floors"]["oggdec_dj"]["cpu_s_per_audio_min"], 3)
    print(json.dumps(result, indent=2), flush=True)
    return result


def run(bindir, quick=False):
    folder = clean(WORK / "live")
    icecast = Icecast(folder, dj_mount="/dj")
    try:
        codecs = ["vorbis", "opus", "mp3"]
        runs = codecs * (1 if quick else 3)
        rows, bursts = delays(bindir, folder, icecast, runs)
        result = {"quick": quick, "runs": rows, "bursts": bursts, "dj_codecs": codecs}
        for key in ("fade_begins", "dj", "marker", "programme", "dj_tail_lost"):
            result[key] = per_mount(rows, key)
        result["marker_by_dj_codec"] = {codec: per_mount(rows, "marker", (codec,)) for codec in codecs}
        at_icecast = {codec: [row["marker_at_icecast"] for row in rows
                              if row["codec"] == codec and row["marker_at_icecast"] is not None] for codec in codecs}
        result["marker_at_icecast_by_dj_codec"] = {codec: summary(v) if v else None for codec, v in at_icecast.items()}
        for key in ("connect_after_launch", "nowplaying_live", "nowplaying_back"):
            result[key] = summary([row[key] for row in rows])
        result["cpu"] = cpu(bindir, folder, icecast, minutes=1 if quick else 2, window=15 if quick else 60,
                            rounds=1 if quick else 2)
    finally:
        icecast.stop()
    return result
