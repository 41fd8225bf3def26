"""The real BUTT (Debian `butt` 0.1.37) as a DJ's source client, headless (DESIGN.md "Facts"):
an Xvfb display, a private PulseAudio whose null sink's monitor is ALSA's default (BUTT opens the
device with as many float channels as it reports, so an ALSA `file` PCM gives garbage), a sine
played into that sink with paplay, `~/.buttrc` naming the server, and BUTT's command port
(`-s` connect, `-d` disconnect, `-u` song, `-S` status, `-q` quit). Every process is started by
the `processes` fixture and stopped by PID."""
import os
import pathlib
import random
import subprocess
import time

import pytest

from helpers.processes import wait_until


class Butt:
    def __init__(self, folder, processes, icecast):
        self.folder = pathlib.Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.processes = processes
        self.icecast = icecast
        self.port = random.randint(20000, 29999)
        self.display = next(n for n in random.sample(range(100, 400), 300)
                            if not pathlib.Path(f"/tmp/.X{n}-lock").exists())
        self.env = dict(os.environ, HOME=str(self.folder), DISPLAY=f":{self.display}",
                        PULSE_RUNTIME_PATH=str(self.folder / "run"), PULSE_STATE_PATH=str(self.folder / "state"))
        self.env.pop("PULSE_SERVER", None)
        self.butt = None

    def start_audio(self, frequency=880, seconds=120):
        (self.folder / "run").mkdir(exist_ok=True)
        (self.folder / "state").mkdir(exist_ok=True)
        socket = self.folder / "pulse.sock"
        self.processes(["Xvfb", f":{self.display}", "-screen", "0", "800x600x24", "-nolisten", "tcp"],
                       self.folder / "xvfb.log", env=self.env)
        self.processes(["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
                        "--disable-shm=yes", "-L", "module-null-sink sink_name=s rate=44100 channels=2 format=s16le",
                        "-L", f"module-native-protocol-unix auth-anonymous=1 socket={socket}"],
                       self.folder / "pulse.log", env=self.env)
        wait_until(lambda: socket.exists(), 10, what="PulseAudio's socket")
        (self.folder / ".asoundrc").write_text(
            f'pcm.!default {{ type pulse; server "unix:{socket}"; device "s.monitor" }}\n'
            f'ctl.!default {{ type pulse; server "unix:{socket}" }}\n')
        tone = self.folder / "tone.wav"
        subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", "-e", "signed-integer", str(tone),
                        "synth", str(seconds), "sine", str(frequency), "vol", "0.5"], check=True, timeout=60)
        self.processes(["paplay", "--server", f"unix:{socket}", "-d", "s", str(tone)], self.folder / "paplay.log",
                       env=self.env)

    def start(self, codec="ogg"):
        """Writes ~/.buttrc for /dj with `codec` (ogg, mp3, opus) and starts BUTT's command server."""
        config = self.folder / ".buttrc"
        if config.exists():
            config.unlink()
        # BUTT writes its default config when it finds none: start it once for that, then stop it.
        first = self.processes(["butt", "-c", str(config), "-x"], self.folder / "butt-first.log", env=self.env)
        wait_until(lambda: config.exists() and "[dsp]" in config.read_text(), 10, what="BUTT's default config")
        first.stop()
        text = config.read_text()
        text = text.replace("server =\n", "server = dj\n", 1).replace("srv_ent =\n", "srv_ent = dj\n", 1)
        text = text.replace("num_of_srv = 0", "num_of_srv = 1", 1)
        text = text.replace("[audio]\ndevice = default\nsamplerate = 44100\nbitrate = 128\nchannel = 2\ncodec = mp3",
                            f"[audio]\ndevice = default\nsamplerate = 44100\nbitrate = 128\nchannel = 2\ncodec = {codec}")
        text += (f"\n[dj]\naddress = 127.0.0.1\nport = {self.icecast.port}\npassword = {self.icecast.dj_password}\n"
                 "type = 1\ntls = 0\nmount = dj\nusr = source\n")
        config.write_text(text)
        self.butt = self.processes(["butt", "-c", str(config), "-p", str(self.port)], self.folder / f"butt-{codec}.log",
                                   env=self.env)
        wait_until(lambda: self.command("-S").returncode == 0, 15, interval=0.5, what="BUTT's command server")

    def command(self, *args):
        return subprocess.run(["butt", "-a", "127.0.0.1", "-p", str(self.port), *args], env=self.env,
                              capture_output=True, text=True, timeout=10)

    def quit(self):
        self.command("-q")
        if self.butt is not None:
            try:
                self.butt.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.butt.stop()


@pytest.fixture
def butt(tmp_path, processes):
    """`butt(icecast)` -> a Butt with its audio running (start(codec) starts BUTT itself)."""
    made = []

    def make(icecast):
        client = Butt(tmp_path / "butt", processes, icecast)
        client.start_audio()
        made.append(client)
        return client
    yield make
    for client in made:
        client.quit()
