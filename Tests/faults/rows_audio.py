"""200 odd audio files in a playlist, made with sox and ffmpeg at test time: each one is either
skipped with a warning or played (its title shows up in the stream), onaird never exits and the
stream never stops."""
import os
import random
import subprocess
import time

from common import Icecast, ReconnectingListener, Result, RowFailed, onaird_config, start_onaird, wait_for

SECONDS = "0.3"


def ffmpeg(*args, timeout=60):
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *args], check=True, timeout=timeout)


def sine(rate=44100, channels=2):
    return ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate={rate}:duration={SECONDS}",
            "-ac", str(channels)]


def base_files(folder):
    """One file of each kind (name -> path); the playlist is made of copies and variations."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {}

    def make(name, *args):
        path = folder / name
        ffmpeg(*args, str(path))
        made[name] = path

    make("good.ogg", *sine(), "-c:a", "libvorbis")
    make("good.mp3", *sine(), "-c:a", "libmp3lame")
    make("good.flac", *sine(), "-c:a", "flac")
    make("good.opus", *sine(48000), "-c:a", "libopus")
    subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", "-e", "signed-integer",
                    str(folder / "good.wav"), "synth", SECONDS, "sine", "440"], check=True, timeout=30)
    made["good.wav"] = folder / "good.wav"
    make("mono8k.wav", *sine(8000, 1), "-c:a", "pcm_s16le")
    make("mono8k.ogg", *sine(8000, 1), "-c:a", "libvorbis")
    make("mono8k.mp3", *sine(8000, 1), "-c:a", "libmp3lame")
    make("hires.wav", *sine(96000), "-c:a", "pcm_s24le")
    make("hires.flac", *sine(96000), "-c:a", "flac", "-sample_fmt", "s32")
    make("six.wav", *sine(44100, 6), "-c:a", "pcm_s16le")
    make("six.ogg", *sine(44100, 6), "-c:a", "libvorbis")
    make("six.flac", *sine(44100, 6), "-c:a", "flac")
    make("theora.ogg", "-f", "lavfi", "-i", f"testsrc=size=64x48:rate=5:duration={SECONDS}", *sine(),
         "-c:v", "libtheora", "-c:a", "libvorbis", "-shortest")
    make("theora-only.ogg", "-f", "lavfi", "-i", f"testsrc=size=64x48:rate=5:duration={SECONDS}", "-c:v", "libtheora")
    # An MP3 that is nothing but an ID3v2 tag (a title frame, no audio frames).
    title = b"\x03only id3 tag"
    frame = b"TIT2" + len(title).to_bytes(4, "big") + b"\0\0" + title
    (folder / "id3only.mp3").write_bytes(b"ID3\x04\0\0" + syncsafe(len(frame)) + frame)
    made["id3only.mp3"] = folder / "id3only.mp3"
    return made


def syncsafe(n):
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])


def playlist(folder, base, count=200, seed=11):
    """`count` files named xNNNq<kind>.<ext> (the name is the title unless a tag says otherwise)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    kinds = ["truncated", "empty", "hugetags", "wrongext", "mono8k", "hires", "six", "id3only", "theora",
             "theoraonly", "random", "text", "badwav", "good", "headeronly", "zerodata"]
    expected = {}
    for index in range(count):
        kind = kinds[index % len(kinds)]
        marker = f"x{index:03d}q{kind}"
        ext, data = variant(kind, base, rng, marker, folder)
        path = folder / f"{marker}.{ext}"
        if data is not None:
            path.write_bytes(data)
        expected[marker] = path
    return expected


def variant(kind, base, rng, marker, folder):
    formats = ["ogg", "mp3", "flac", "wav", "opus"]
    if kind == "truncated":
        ext = rng.choice(formats)
        data = base[f"good.{ext}"].read_bytes()
        return ext, data[:rng.randint(1, max(2, len(data) - 1))]
    if kind == "empty":
        return rng.choice(formats), b""
    if kind == "hugetags":
        ext = rng.choice(["ogg", "mp3", "flac"])
        codec = {"ogg": "libvorbis", "mp3": "libmp3lame", "flac": "flac"}[ext]
        blob = "".join(rng.choice("abcdefghij<>&\"'é😀") for _ in range(rng.choice([1000, 60_000, 200_000])))
        # Tags from an ffmetadata file: one argument may not exceed 128 KiB.
        meta = folder / f"{marker}.meta"
        meta.write_text(f";FFMETADATA1\ntitle={marker} {blob[:5000]}\nartist={blob[:3000]}\ncomment={blob}\n")
        ffmpeg(*sine(), "-i", str(meta), "-map_metadata", "1", "-map", "0", "-c:a", codec, str(folder / f"{marker}.{ext}"))
        meta.unlink()
        return ext, None
    if kind == "wrongext":
        real, named = rng.choice([("ogg", "mp3"), ("mp3", "ogg"), ("wav", "flac"), ("flac", "wav"), ("opus", "ogg"),
                                  ("ogg", "wav")])
        return named, base[f"good.{real}"].read_bytes()
    if kind in ("mono8k", "hires", "six"):
        choices = [name for name in base if name.startswith(kind + ".")]
        name = rng.choice(sorted(choices))
        return name.split(".")[-1], base[name].read_bytes()
    if kind == "id3only":
        return "mp3", base["id3only.mp3"].read_bytes()
    if kind == "theora":
        return "ogg", base["theora.ogg"].read_bytes()
    if kind == "theoraonly":
        return "ogg", base["theora-only.ogg"].read_bytes()
    if kind == "random":
        return rng.choice(formats), os.urandom(rng.choice([1, 100, 5000, 70_000]))
    if kind == "text":
        return rng.choice(formats), b"This is not audio.\n" * rng.randint(1, 50)
    if kind == "badwav":
        data = bytearray(base["good.wav"].read_bytes())
        data[40:44] = (0xFFFFFF00).to_bytes(4, "little")  # data chunk says 4 GB
        data[rng.randint(20, 35)] = rng.randint(0, 255)  # and a damaged fmt field
        return "wav", bytes(data)
    if kind == "headeronly":
        return "wav", base["good.wav"].read_bytes()[:44]
    if kind == "zerodata":
        return "ogg", base["good.ogg"].read_bytes()[:rng.choice([28, 58, 4000])]
    ext = rng.choice(formats)
    return ext, base[f"good.{ext}"].read_bytes()


def odd_files(ctx):
    work = ctx.folder("odd-files")
    base = base_files(work / "base")
    music = work / "music"
    expected = playlist(music, base)
    icecast = ctx.keep(Icecast(work / "icecast"))
    icecast.start()
    config = onaird_config(work / "onaird", icecast,
                           source={"kind": "playlist", "path": str(music), "shuffle": False})
    log_path = work / "onaird.log"
    capture = work / "capture.ogg"
    daemon = start_onaird(ctx.processes, ctx.bin_dir, config, log_path)
    if not wait_for(lambda: icecast.source("/radio.ogg"), 20):
        raise RowFailed("onaird did not start streaming")
    listener = ReconnectingListener(icecast.mount_url("/radio.ogg"), save=capture).start()
    ctx.on_cleanup(listener.stop)
    started = time.monotonic()

    def accounted():
        log = log_path.read_text(errors="replace")
        heard = capture.read_bytes() if capture.exists() else b""
        lines = [line for line in log.splitlines() if "skipping a file that cannot be played" in line]
        skipped = {m for m, p in expected.items() if any(str(p) in line for line in lines)}
        played = {m for m in expected if m.encode() in heard}
        return skipped, played

    deadline = started + 200 * float(SECONDS) * 1.5 + 120
    skipped, played = accounted()
    while time.monotonic() < deadline and daemon.alive():
        skipped, played = accounted()
        if len(skipped | played) == len(expected):
            break
        time.sleep(1)
    time.sleep(3)  # and the stream goes on after the last one
    now = time.monotonic()
    gap = listener.longest_gap(started + 3, now)
    listener.stop()
    alive = daemon.alive()
    missing = sorted(set(expected) - skipped - played)
    # A file both skipped and heard: its title went out though it was skipped (would confuse listeners).
    both = sorted(skipped & played)
    ok = alive and not missing and gap < 2.0
    warned = sum(1 for m, p in expected.items() if m in played and f"{p}" in log_path.read_text(errors="replace"))
    figure = (f"{len(expected)} files: {len(played - skipped)} played (title in the stream; {warned} of them with a "
              f"warning), {len(skipped)} skipped "
              f"with a warning, {len(missing)} unaccounted; crashes {0 if alive else 1}; longest silence on the "
              f"wire {gap:.2f} s")
    if missing:
        figure += "; e.g. " + ", ".join(missing[:4])
    if both:
        figure += f"; {len(both)} skipped after their title went out"
    return Result("200 odd audio files in a playlist", figure, ok)

