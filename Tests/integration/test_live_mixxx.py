"""The real Mixxx as the DJ: Mixxx 2.3 with deck 1 playing an 880 Hz track and Options > Live
Broadcasting on (Ctrl+L) sends Ogg Vorbis, or MP3, to Icecast's hidden /dj mount with the profile a
DJ sets up in Preferences. onaird puts it on the air under the stream's name and hands back to the
programme (440 Hz) when the DJ turns broadcasting off; a real listener on /radio.ogg hears 440,
880, 440."""
import time

import pytest

from helpers.audio import Listener, decode
from helpers.mixxx import mixxx_fixture  # noqa: F401 - the `mixxx` fixture
from helpers.processes import wait_until
from test_live import label, pitches, runs, start_station


@pytest.mark.parametrize("format", ["vorbis", "mp3"])
def test_mixxx_goes_live_and_a_listener_hears_it_then_the_programme(icecast, onaird_factory, mixxx, tmp_path, format):
    daemon = start_station(onaird_factory, icecast)
    started = time.monotonic()
    dj = mixxx(icecast, format).start()
    print(f"\nMixxx ({format}) up with the track in deck 1 after {time.monotonic() - started:.2f} s")
    with Listener(icecast.mount_url("/radio.ogg"), tmp_path / "heard.ogg") as listener:
        time.sleep(3)
        dj.play()
        dj.toggle_broadcasting()
        pressed = time.monotonic()
        wait_until(lambda: dj.connections() == 1, 10, what="Mixxx connected to /dj")
        document = daemon.wait_nowplaying(lambda d: d["live"]["is_live"], 15, what=f"Mixxx ({format}) live")
        on_air = time.monotonic() - pressed
        assert document["live"]["streamer"] == "DJ Mixxx", document["live"]
        assert icecast.source("/dj") is None  # hidden
        assert "live input: DJ 'DJ Mixxx' on air since" in daemon.onair("status").stdout
        if format == "mp3":  # Mixxx sends the playing track's "artist - title" as Icecast metadata for MP3
            daemon.wait_nowplaying(lambda d: d["now_playing"]["text"] == "Mixxx Artist - Tone 880", 5,
                                   what="the track's title from Mixxx")
        time.sleep(6)
        dj.toggle_broadcasting()
        stopped = time.monotonic()
        document = daemon.wait_nowplaying(lambda d: not d["live"]["is_live"], 8, what="the programme back")
        back = time.monotonic() - stopped
        # The programme's title comes back in the same document as the live flag.
        assert document["now_playing"]["text"] == "OnAir test tone 440 Hz", document["now_playing"]
        time.sleep(4)
    print(f"Mixxx {format}: on air {on_air:.2f} s after Ctrl+L; programme back {back:.2f} s after Ctrl+L again")
    wait_until(lambda: "the DJ left" in daemon.onair("status").stdout, 5, what="onair status saying why")
    assert dj.process.alive(), dj.log()[-3000:]  # the DJ only stopped broadcasting
    assert listener.error is None, listener.error
    labels = [label(f) for f in pitches(decode(listener.path))]
    print(f"/radio.ogg heard: {runs(labels)}")
    sequence = [value for value, count in runs(labels) if count >= 4]
    assert sequence[:3] == [440, 880, 440], runs(labels)
    assert sum(count for value, count in runs(labels) if value == 880) >= 16, runs(labels)  # >= 4 s of the DJ
    assert labels[-8:] == [440] * 8, runs(labels)
    assert daemon.process.alive()
