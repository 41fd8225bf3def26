"""Listeners and test files for the MP3/Opus/Vorbis tests: ICY metadata reader, VLC as a listener,
Ogg comment scanner, and MP3/FLAC/Opus files made with Debian's lame, flac, opusenc and sox."""
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
import wave

import numpy

from helpers.audio import make_wav, peak_frequency


# -- test files ----------------------------------------------------------------------------------
def _made_beside(path):
    """Files are made outside the playlist folder and moved in whole."""
    path = pathlib.Path(path)
    return path, path.parent.parent / f".make-{path.name}"


def make_mp3(path, seconds, frequency=440, artist=None, title=None, rate=44100, channels=2):
    path, work = _made_beside(path)
    wav = make_wav(work.with_suffix(".wav"), seconds, frequency, rate, channels)
    args = ["lame", "--quiet", "-b", "128"]
    if title:
        args += ["--add-id3v2", "--tt", title]
    if artist:
        args += ["--ta", artist]
    subprocess.run(args + [str(wav), str(work)], check=True, timeout=60)
    wav.unlink()
    work.rename(path)
    return path


def make_flac(path, seconds, frequency=440, artist=None, title=None, rate=44100, channels=2):
    path, work = _made_beside(path)
    wav = make_wav(work.with_suffix(".wav"), seconds, frequency, rate, channels)
    args = ["flac", "--silent", "-f", "-o", str(work)]
    if title:
        args += [f"--tag=TITLE={title}"]
    if artist:
        args += [f"--tag=ARTIST={artist}"]
    subprocess.run(args + [str(wav)], check=True, timeout=60)
    wav.unlink()
    work.rename(path)
    return path


def make_opus(path, seconds, frequency=440, artist=None, title=None, rate=48000, channels=2):
    path, work = _made_beside(path)
    wav = make_wav(work.with_suffix(".wav"), seconds, frequency, rate, channels)
    args = ["opusenc", "--quiet", "--bitrate", "96"]
    if title:
        args += ["--title", title]
    if artist:
        args += ["--artist", artist]
    subprocess.run(args + [str(wav), str(work)], check=True, timeout=60)
    wav.unlink()
    work.rename(path)
    return path


# -- listeners -----------------------------------------------------------------------------------
def icy_titles(url, seconds):
    """Listens like a player that asks for ICY metadata; returns (content type, [StreamTitle, ...],
    audio bytes without the metadata blocks)."""
    request = urllib.request.Request(url, headers={"Icy-MetaData": "1"})
    titles, audio = [], bytearray()
    deadline = time.monotonic() + seconds
    with urllib.request.urlopen(request, timeout=10) as response:
        content_type = response.headers.get("Content-Type", "")
        metaint = int(response.headers.get("icy-metaint", "0"))
        assert metaint > 0, f"no icy-metaint header from {url}: {dict(response.headers)}"
        while time.monotonic() < deadline:
            block = response.read(metaint)
            if len(block) < metaint:
                break
            audio += block
            length = response.read(1)[0] * 16
            if length:
                raw = response.read(length).rstrip(b"\0")
                try:
                    meta = raw.decode("utf-8")
                except UnicodeDecodeError:  # Icecast sends ICY titles in the mount's charset, Latin-1 by default
                    meta = raw.decode("latin-1")
                match = re.search(r"StreamTitle='(.*?)';", meta)
                if match and (not titles or titles[-1] != match.group(1)):
                    titles.append(match.group(1))
    return content_type, titles, bytes(audio)


def ogg_titles(data):
    """TITLE comments in Ogg bytes, in order (Vorbis comment and OpusTags packets both hold them)."""
    return [match.decode("utf-8", "replace") for match in re.findall(rb"TITLE=([^\x00-\x1f]*?)(?=[\x00-\x1f])", data)]


def vlc_listen(url, out, seconds=6):
    """Plays `url` with real VLC into a WAV (VLC refuses root: then it runs as nobody). Returns
    (mono float samples, rate, VLC's stderr)."""
    cvlc = shutil.which("cvlc")
    assert cvlc, "VLC is missing: scripts/install-deps installs vlc-bin and vlc-plugin-base"
    work = pathlib.Path(tempfile.mkdtemp(prefix="onair-vlc-"))
    work.chmod(0o777)
    wav_path = work / "vlc.wav"
    as_user = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
    try:
        result = subprocess.run(
            [*as_user, "env", f"HOME={work}", cvlc, "-I", "dummy", "--no-video", "--aout=afile",
             f"--audiofile-file={wav_path}", "--audiofile-format=s16", "--audiofile-channels=2",
             f"--run-time={seconds}", url, "vlc://quit"],
            capture_output=True, text=True, timeout=seconds + 40)
        if wav_path.exists():
            shutil.copy(wav_path, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = pathlib.Path(out)
    if not out.exists() or out.stat().st_size < 44100:
        return numpy.zeros(0), 44100, result.stderr
    with wave.open(str(out)) as w:
        rate, channels = w.getframerate(), w.getnchannels()
        frames = numpy.frombuffer(w.readframes(w.getnframes()), dtype=numpy.int16)
    mono = frames.reshape(-1, channels).astype(float).mean(axis=1) / 32768
    return mono, rate, result.stderr


def pitch(samples, rate):
    """The strongest frequency after the first quarter (players' start-up left out)."""
    return peak_frequency(samples[len(samples) // 4:], rate)
