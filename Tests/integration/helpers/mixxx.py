"""The real Mixxx (Debian `mixxx` 2.3.3) as a DJ's source client, headless: an Xvfb display, a
private HOME whose `~/.mixxx/` holds the settings a DJ would make in Preferences (a live
broadcasting profile in `broadcast_profiles/*.bcp.xml`, `soundconfig.xml` with ALSA's `pulse`
device as the main output, `mixxx.cfg`), and a private PulseAudio (helpers/darkice.py) with a null
sink as Mixxx's sound card: it clocks Mixxx's engine in real time; the live broadcast encodes the
main mix itself. Mixxx is driven as a DJ drives it: `mixxx tone.ogg` loads the track into deck 1,
and keys from Mixxx's default keyboard mapping are pressed into its window with xdotool (`d` plays
deck 1, Ctrl+L toggles Options > Live Broadcasting). A fresh settings folder makes Mixxx ask for
the music library folder first: that dialog is answered with Escape, as a DJ may. Every process is
started by the `processes` fixture and stopped by PID."""
import pathlib
import random
import subprocess

import pytest

from helpers.audio import make_ogg
from helpers.darkice import PrivateAudio
from helpers.processes import wait_until

PROFILE = """<!DOCTYPE broadcastprofile>
<BroadcastProfile>
    <ProfileName>OnAir</ProfileName>
    <SecureCredentialsStorage>0</SecureCredentialsStorage>
    <Enabled>1</Enabled>
    <Host>127.0.0.1</Host>
    <Port>{port}</Port>
    <Servertype>Icecast2</Servertype>
    <Login>source</Login>
    <Password>{password}</Password>
    <EnableReconnect>0</EnableReconnect>
    <Mountpoint>/dj</Mountpoint>
    <StreamName>{name}</StreamName>
    <StreamDesc>Mixxx on the OnAir test bench</StreamDesc>
    <StreamGenre>Test</StreamGenre>
    <StreamPublic>0</StreamPublic>
    <Format>{format}</Format>
    <Bitrate>128</Bitrate>
    <Channels>2</Channels>
    <EnableMetadata>0</EnableMetadata>
    <MetadataFormat>$artist - $title</MetadataFormat>
    <OggDynamicUpdate>0</OggDynamicUpdate>
</BroadcastProfile>
"""

# `[Shoutcast] enabled` persists, but a 1 read at start-up does not connect (and Ctrl+L then turns
# it off): it starts at 0. No waveforms (type 0): less work for two shared cores.
SETTINGS = """[Config]
Version 2.3.3

[Shoutcast]
enabled 0

[Waveform]
WaveformType 0
"""

SOUND = """<!DOCTYPE SoundManagerConfig>
<SoundManagerConfig latency="5" sync_buffers="2" deck_count="4" force_network_clock="0" api="ALSA" samplerate="44100">
 <SoundDevice alsaHwDevice="" portAudioIndex="0" name="pulse">
  <output index="0" type="Master" channel="0" channel_count="2"/>
 </SoundDevice>
</SoundManagerConfig>
"""

FORMATS = {"vorbis": "OGG", "mp3": "MP3"}  # Preferences > Live Broadcasting > Encoding > Format


class Mixxx:
    def __init__(self, folder, processes, icecast):
        self.audio = PrivateAudio(folder, processes)
        self.folder = self.audio.folder
        self.processes = processes
        self.icecast = icecast
        self.display = next(n for n in random.sample(range(400, 700), 300)
                            if not pathlib.Path(f"/tmp/.X{n}-lock").exists())
        self.env = dict(self.audio.env, DISPLAY=f":{self.display}", QT_QPA_PLATFORM="xcb")
        self.process = None
        self.window = None

    def configure(self, format="vorbis", name="DJ Mixxx"):
        """Writes ~/.mixxx/ as a DJ's Preferences would: live broadcasting to /dj in `format`."""
        settings = self.folder / ".mixxx"
        (settings / "broadcast_profiles").mkdir(parents=True, exist_ok=True)
        (settings / "broadcast_profiles" / "OnAir.bcp.xml").write_text(PROFILE.format(
            port=self.icecast.port, password=self.icecast.dj_password, name=name, format=FORMATS[format]))
        (settings / "mixxx.cfg").write_text(SETTINGS)
        (settings / "soundconfig.xml").write_text(SOUND)

    def start(self, frequency=880, seconds=120):
        """Starts Mixxx with an `frequency` Hz track in deck 1; returns when the deck has read it."""
        (self.folder / "music").mkdir(exist_ok=True)
        track = make_ogg(self.folder / "music" / f"tone-{frequency}.ogg", seconds, frequency,
                         artist="Mixxx Artist", title=f"Tone {frequency}")
        self.processes(["Xvfb", f":{self.display}", "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
                       self.folder / "xvfb.log", env=self.env)
        wait_until(lambda: pathlib.Path(f"/tmp/.X11-unix/X{self.display}").exists(), 10, what="Xvfb")
        self.process = self.processes(["mixxx", "--logLevel", "debug", str(track)], self.folder / "mixxx.log",
                                      env=self.env, cwd=str(self.folder))

        def library_question_answered():
            assert self.process.alive(), self.log()[-3000:]
            dialog = self.xdotool("search", "--name", "^Choose music library directory$")
            if dialog:
                self.xdotool("windowfocus", "--sync", dialog[0])
                self.xdotool("key", "Escape")
            return "Displaying main window" in self.log() and not dialog
        wait_until(library_question_answered, 40, interval=0.3, what="Mixxx's main window")
        self.window = wait_until(lambda: self.xdotool("search", "--maxdepth", "1", "--onlyvisible", "--name",
                                                      "^Mixxx$"), 10, what="Mixxx's window")[0]
        # The deck's reader opens the track after the window shows.
        wait_until(lambda: any("[CachingReaderWorker" in line and str(track) in line
                               for line in self.log().splitlines()), 20, what="deck 1 reading the track")
        return self

    def xdotool(self, *args):
        result = subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=10)
        return result.stdout.split()

    def key(self, *keys):
        """Presses keys into Mixxx's window (as a DJ at the keyboard)."""
        self.xdotool("windowfocus", "--sync", self.window)
        self.xdotool("key", "--clearmodifiers", *keys)

    def log(self):
        return self.process.output() if self.process else ""

    def play(self):
        self.key("d")

    def toggle_broadcasting(self):
        """Ctrl+L: Options > Enable Live Broadcasting."""
        self.key("ctrl+l")

    def connections(self):
        return self.log().count("Connected to streaming server")


@pytest.fixture(name="mixxx")
def mixxx_fixture(tmp_path, processes):
    """`mixxx(icecast, format)` -> a configured Mixxx (start() starts it with the tone in deck 1)."""
    def make(icecast, format="vorbis", name="DJ Mixxx"):
        client = Mixxx(tmp_path / f"mixxx-{format}", processes, icecast)
        client.configure(format, name)
        return client
    return make
