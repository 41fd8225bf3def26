"""Audio fixtures for the stream tests: onaird configs, test audio made with sox/oggenc, real
listeners (HTTP, ogginfo, ffmpeg), pitch detection, and a private PulseAudio clocking an ALSA PCM."""
import os
import pathlib
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.request

import numpy
import pytest

from helpers.processes import wait_until

RATE = 44100


# -- test audio ------------------------------------------------------------------------------------
def make_wav(path, seconds, frequency=440, rate=RATE, channels=2):
    """A sine WAV (16-bit signed PCM; sox's default 32-bit WAV makes oggenc fail)."""
    subprocess.run(["sox", "-n", "-r", str(rate), "-c", str(channels), "-b", "16", "-e", "signed-integer",
                    str(path), "synth", str(seconds), "sine", str(frequency), "vol", "0.5"],
                   check=True, timeout=60)
    return pathlib.Path(path)


def make_ogg(path, seconds, frequency=440, artist=None, title=None, rate=RATE, channels=2):
    """An Ogg Vorbis sine made with oggenc, tagged when `artist`/`title` are given."""
    path = pathlib.Path(path)
    # Made beside, then moved in: a playlist folder never sees a half-written file.
    work = path.parent.parent / f".make-{path.name}"
    wav = work.with_suffix(".wav")
    make_wav(wav, seconds, frequency, rate, channels)
    args = ["oggenc", "-Q", "-q", "3", "-o", str(work)]
    if artist:
        args += ["-a", artist]
    if title:
        args += ["-t", title]
    subprocess.run(args + [str(wav)], check=True, timeout=60)
    wav.unlink()
    work.rename(path)
    return path


# -- onaird ----------------------------------------------------------------------------------------
def write_config(folder, icecast, source, password=None, outputs=None, audio=None, interval=1):
    """Writes onaird.yaml (+ its password file) into `folder`; `source` is the YAML of `source:`."""
    folder = pathlib.Path(folder)
    (folder / "site").mkdir(parents=True, exist_ok=True)
    password_file = folder / "source.password"
    password_file.write_text((icecast.password if password is None else password) + "\n")
    os.chmod(password_file, 0o600)
    outputs = outputs or ["{ mount: /radio.ogg, format: vorbis, quality: 4 }"]
    audio = audio or "{ sample_rate: 44100, channels: 2 }"
    config = folder / "onaird.yaml"
    config.write_text(
        f"site: {folder / 'site'}\n"
        f"interval: {interval}\n"
        f"control_socket: {folder / 'onaird.sock'}\n"
        "icecast:\n"
        f"  url: {icecast.url}\n"
        "  user: source\n"
        f"  password_file: {password_file}\n"
        "  listener_mount: /radio.ogg\n"
        "outputs:\n" + "".join(f"  - {line}\n" for line in outputs) +
        f"audio: {audio}\n"
        "source:\n" + "".join(f"  {line}\n" for line in source.strip().splitlines()))
    return config


@pytest.fixture
def run_onaird(processes, bin_dir, tmp_path):
    """Starts `onaird --config FILE` (stopped by PID at teardown); returns the Managed process."""
    def start(config, env=None, name="onaird.log"):
        environment = dict(os.environ)
        environment.pop("ONAIR_SOURCE_PASSWORD", None)
        environment.update(env or {})
        return processes([str(bin_dir / "onaird"), "--config", str(config)], tmp_path / name, env=environment)
    return start


# -- listeners -------------------------------------------------------------------------------------
class Listener:
    """Reads a stream over HTTP in a thread, noting how many bytes had arrived at which moment."""

    def __init__(self, url, path):
        self.url = url
        self.path = pathlib.Path(path)
        self.marks = []  # (seconds since connect, bytes so far)
        self.error = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self):
        try:
            with urllib.request.urlopen(self.url, timeout=10) as response, open(self.path, "wb") as out:
                start = time.monotonic()
                total = 0
                while not self._stop.is_set():
                    chunk = response.read1(8192)
                    if not chunk:
                        break
                    out.write(chunk)
                    out.flush()
                    total += len(chunk)
                    self.marks.append((time.monotonic() - start, total))
        except Exception as error:  # noqa: BLE001 - reported by the test
            self.error = error

    def bytes_at(self, seconds):
        """Bytes received by `seconds` after connecting."""
        received = 0
        for at, total in self.marks:
            if at > seconds:
                break
            received = total
        return received

    def data(self):
        return self.path.read_bytes()


def listen(url, seconds, path):
    """Receives `seconds` of a stream into `path` with curl (a real client); returns the bytes."""
    subprocess.run(["curl", "-s", "--max-time", str(seconds), "-o", str(path), url], timeout=seconds + 10)
    return pathlib.Path(path).read_bytes()


def ogginfo(path):
    """Runs ogginfo; returns (exit code, output, [comment dict per logical stream])."""
    result = subprocess.run(["ogginfo", str(path)], capture_output=True, text=True, timeout=60)
    streams = []
    for block in result.stdout.split("New logical stream")[1:]:
        comments = {}
        if "User comments section follows..." in block:
            section = block.split("User comments section follows...", 1)[1]
            for line in section.splitlines()[1:]:
                if not line.startswith("\t") or "=" not in line:
                    break
                key, value = line.strip().split("=", 1)
                comments[key.upper()] = value
        streams.append({"type": "vorbis" if "type vorbis" in block.splitlines()[0] else block.splitlines()[0],
                        "comments": comments})
    return result.returncode, result.stdout + result.stderr, streams


def ogg_is_valid(code, report):
    """ogginfo's verdict on a recording cut off mid-stream: the only complaint allowed is that the
    last logical stream has no end-of-stream page yet (the listener hung up, not the stream)."""
    if code == 0:
        return True
    complaints = [line for line in report.splitlines() if line.startswith(("WARNING", "ERROR"))]
    streams = report.count("New logical stream")
    return complaints == [f"WARNING: EOS not set on stream {streams}"]


def decode(data_or_path, rate=RATE):
    """Decodes Ogg (bytes or a file) to mono float samples with ffmpeg."""
    if isinstance(data_or_path, (bytes, bytearray)):
        args, stdin = ["-i", "pipe:0"], bytes(data_or_path)
    else:
        args, stdin = ["-i", str(data_or_path)], None
    result = subprocess.run(["ffmpeg", "-v", "error", *args, "-f", "s16le", "-ac", "1", "-ar", str(rate), "pipe:1"],
                            input=stdin, capture_output=True, timeout=120)
    return numpy.frombuffer(result.stdout, dtype="<i2").astype(numpy.float64) / 32768


def seconds_of_audio(data, rate=RATE):
    return len(decode(data, rate)) / rate


def peak_frequency(samples, rate=RATE):
    """The frequency of the strongest spectral peak (Hann window, parabolic interpolation)."""
    samples = samples[: rate * 8]
    assert len(samples) > rate // 2, f"too little audio to find a pitch ({len(samples)} samples)"
    spectrum = numpy.abs(numpy.fft.rfft(samples * numpy.hanning(len(samples))))
    spectrum[:20] = 0  # ignore DC and rumble
    peak = int(numpy.argmax(spectrum))
    if 0 < peak < len(spectrum) - 1:
        a, b, c = numpy.log(spectrum[peak - 1: peak + 2] + 1e-12)
        peak = peak + 0.5 * (a - c) / (a - 2 * b + c)
    return peak * rate / len(samples)


def longest_silence(samples, rate=RATE, threshold=0.01):
    """Seconds of the longest run of samples quieter than `threshold` (a gap between tracks)."""
    quiet = numpy.abs(samples) < threshold
    longest = run = 0
    for value in quiet:
        run = run + 1 if value else 0
        longest = max(longest, run)
    return longest / rate


# -- ALSA capture without a sound card -------------------------------------------------------------
class PulseClock:
    """A private PulseAudio with a null sink, read through ALSA's `pulse` plugin: a real-time clock.
    `pcm.filein` returns the samples of `raw_audio` at the pace of that clock (DESIGN.md "Facts")."""

    def __init__(self, folder, raw_audio, processes):
        self.folder = pathlib.Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "run").mkdir(exist_ok=True)
        (self.folder / "state").mkdir(exist_ok=True)
        self.socket = self.folder / "pulse.sock"
        self.env = dict(os.environ, PULSE_RUNTIME_PATH=str(self.folder / "run"),
                        PULSE_STATE_PATH=str(self.folder / "state"), HOME=str(self.folder))
        self.process = processes([
            "pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no", "--disable-shm=yes",
            "-L", "module-null-sink sink_name=s rate=44100 channels=2 format=s16le",
            "-L", f"module-native-protocol-unix auth-anonymous=1 socket={self.socket}",
        ], self.folder / "pulseaudio.log", env=self.env)
        wait_until(lambda: self.socket.exists(), 20, what="PulseAudio's socket")
        self.alsa_config = self.folder / "asound.conf"
        self.alsa_config.write_text(
            "</usr/share/alsa/alsa.conf>\n"
            f'pcm.clock {{ type pulse; server "unix:{self.socket}"; device "s.monitor" }}\n'
            f'pcm.filein {{ type file; slave.pcm "clock"; file "/dev/null"; infile "{raw_audio}"; format "raw" }}\n')
        self.env["ALSA_CONFIG_PATH"] = str(self.alsa_config)


@pytest.fixture
def pulse_clock(tmp_path, processes):
    """Returns a factory: pulse_clock(raw_s16le_stereo_44k_file) -> PulseClock (env has ALSA_CONFIG_PATH)."""
    if not shutil.which("pulseaudio"):
        pytest.fail("pulseaudio is not installed (scripts/apt-packages.txt lists it)")

    def start(raw_audio):
        return PulseClock(tmp_path / "pulse", raw_audio, processes)
    return start
