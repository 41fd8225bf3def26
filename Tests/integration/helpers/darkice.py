"""The real darkice (Debian `darkice` 1.3) as a DJ's source client. darkice records an ALSA device;
there is no sound card, so `PrivateAudio` gives it one clocked in real time, as helpers/butt.py does
for BUTT: a private PulseAudio with a null sink `s`, a sine played into it with paplay, and a
private HOME whose `~/.asoundrc` makes ALSA's `default` that sink's monitor (`s.monitor`).
Mixxx (helpers/mixxx.py) uses the same PulseAudio to play into. Every process is started by the
`processes` fixture and stopped by PID."""
import os
import pathlib
import subprocess

import pytest

from helpers.processes import wait_until


class PrivateAudio:
    """A private PulseAudio (null sink `s`) in `folder`, which is also the HOME of the programs that
    use it (`env`): ALSA's `default` there records what is played into `s`."""

    def __init__(self, folder, processes):
        self.folder = pathlib.Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.processes = processes
        (self.folder / "run").mkdir(exist_ok=True)
        (self.folder / "state").mkdir(exist_ok=True)
        self.socket = self.folder / "pulse.sock"
        self.env = dict(os.environ, HOME=str(self.folder), PULSE_RUNTIME_PATH=str(self.folder / "run"),
                        PULSE_STATE_PATH=str(self.folder / "state"), PULSE_SERVER=f"unix:{self.socket}")
        self.env.pop("ALSA_CONFIG_PATH", None)
        self.pulse = processes(["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
                                "--disable-shm=yes",
                                "-L", "module-null-sink sink_name=s rate=44100 channels=2 format=s16le",
                                "-L", f"module-native-protocol-unix auth-anonymous=1 socket={self.socket}"],
                               self.folder / "pulse.log", env=self.env)
        wait_until(lambda: self.socket.exists() or not self.pulse.alive(), 10, what="PulseAudio's socket")
        assert self.pulse.alive(), self.pulse.output()
        (self.folder / ".asoundrc").write_text(
            f'pcm.!default {{ type pulse; server "unix:{self.socket}"; device "s.monitor" }}\n'
            f'ctl.!default {{ type pulse; server "unix:{self.socket}" }}\n')

    def tone(self, path, frequency=880, seconds=120):
        """A 16-bit stereo 44.1 kHz sine WAV."""
        subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", "-e", "signed-integer", str(path),
                        "synth", str(seconds), "sine", str(frequency), "vol", "0.5"], check=True, timeout=60)
        return pathlib.Path(path)

    def play(self, frequency=880, seconds=120):
        """Plays a sine into the null sink (what the DJ's microphone hears)."""
        tone = self.tone(self.folder / f"tone-{frequency}.wav", frequency, seconds)
        return self.processes(["paplay", "--server", f"unix:{self.socket}", "-d", "s", str(tone)],
                              self.folder / "paplay.log", env=self.env)


CONFIG = """[general]
duration = 0
bufferSecs = 1
reconnect = no
realtime = no

[input]
device = default
sampleRate = 44100
bitsPerSample = 16
channel = 2

[icecast2-0]
bitrateMode = {mode}
{rate}
format = {format}
server = 127.0.0.1
port = {port}
password = {password}
mountPoint = dj
name = {name}
description = darkice on the OnAir test bench
genre = Test
public = no
"""


class Darkice:
    def __init__(self, audio, processes, icecast):
        self.audio = audio
        self.processes = processes
        self.icecast = icecast
        self.process = None

    def start(self, format="vorbis", name="DJ Darkice"):
        """Writes darkice.cfg for /dj (`format` vorbis or mp3) and starts darkice."""
        rate = "quality = 0.4" if format == "vorbis" else "bitrate = 128"
        config = self.audio.folder / f"darkice-{format}.cfg"
        config.write_text(CONFIG.format(mode="vbr" if format == "vorbis" else "cbr", rate=rate, format=format,
                                        port=self.icecast.port, password=self.icecast.dj_password, name=name))
        self.process = self.processes(["darkice", "-v", "3", "-c", str(config)],
                                      self.audio.folder / f"darkice-{format}.log", env=self.audio.env)
        return self.process

    def stop(self):
        """Stops darkice as a DJ would (SIGTERM); returns its exit code."""
        return self.process.stop() if self.process is not None else None


@pytest.fixture(name="darkice")
def darkice_fixture(tmp_path, processes):
    """`darkice(icecast)` -> a Darkice whose ALSA `default` hears an 880 Hz sine (start(format) starts it)."""
    def make(icecast, frequency=880):
        audio = PrivateAudio(tmp_path / "darkice", processes)
        audio.play(frequency)
        return Darkice(audio, processes, icecast)
    return make
