"""The real darkice as the DJ: darkice 1.3 records ALSA's `default` (a private PulseAudio null
sink's monitor hearing an 880 Hz sine) and sends Ogg Vorbis, or MP3, to Icecast's hidden /dj mount
with its `[icecast2-0]` section. onaird puts it on the air under the stream's name and hands back to
the programme (440 Hz) when darkice stops; a real listener on /radio.ogg hears 440, 880, 440."""
import time

import pytest

from helpers.audio import Listener, decode
from helpers.darkice import darkice_fixture  # noqa: F401 - the `darkice` fixture
from helpers.processes import wait_until
from test_live import label, pitches, runs, start_station


@pytest.mark.parametrize("format", ["vorbis", "mp3"])
def test_darkice_goes_live_and_a_listener_hears_it_then_the_programme(icecast, onaird_factory, darkice, tmp_path,
                                                                      format):
    daemon = start_station(onaird_factory, icecast)
    dj = darkice(icecast)
    with Listener(icecast.mount_url("/radio.ogg"), tmp_path / "heard.ogg") as listener:
        time.sleep(3)
        started = time.monotonic()
        source = dj.start(format)
        document = daemon.wait_nowplaying(lambda d: d["live"]["is_live"], 15, what=f"darkice ({format}) live")
        on_air = time.monotonic() - started
        assert document["live"]["streamer"] == "DJ Darkice", document["live"]
        assert document["live"]["since"]
        assert icecast.source("/dj") is None  # hidden
        assert "live input: DJ 'DJ Darkice' on air since" in daemon.onair("status").stdout
        time.sleep(6)
        assert source.alive(), source.output()
        dj.stop()
        left = time.monotonic()
        document = daemon.wait_nowplaying(lambda d: not d["live"]["is_live"], 8, what="the programme back")
        back = time.monotonic() - left
        # The programme's title comes back in the same document as the live flag.
        assert document["now_playing"]["text"] == "OnAir test tone 440 Hz", document["now_playing"]
        time.sleep(4)
    print(f"\ndarkice {format}: on air {on_air:.2f} s after starting; programme back {back:.2f} s after it stopped")
    wait_until(lambda: "the DJ left" in daemon.onair("status").stdout, 5, what="onair status saying why")
    assert listener.error is None, listener.error
    labels = [label(f) for f in pitches(decode(listener.path))]
    print(f"/radio.ogg heard: {runs(labels)}")
    sequence = [value for value, count in runs(labels) if count >= 4]
    assert sequence[:3] == [440, 880, 440], runs(labels)
    assert sum(count for value, count in runs(labels) if value == 880) >= 16, runs(labels)  # >= 4 s of the DJ
    assert labels[-8:] == [440] * 8, runs(labels)
    assert daemon.process.alive()
