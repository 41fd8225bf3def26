"""The real BUTT as the DJ (issue #13): headless BUTT 0.1.37 sends Ogg Vorbis, then MP3, then Ogg
Opus to the hidden /dj mount; onaird puts it on the air, BUTT's song (`butt -u`, which BUTT sends to Icecast's
admin/metadata) reaches nowplaying.json from the stream, and a disconnect hands back."""
import time

from helpers.processes import wait_until


def test_butt_goes_live_with_ogg_vorbis_mp3_and_ogg_opus_and_its_songs_reach_the_page(icecast, onaird_factory, butt):
    daemon = onaird_factory(icecast, outputs=[{"mount": "/radio.ogg", "format": "vorbis", "quality": 2}],
                            live={"mount": "/dj", "stall_after": 3, "silence_after": 5})
    daemon.start()
    icecast.wait_for_source("/radio.ogg")
    dj = butt(icecast)
    for codec in ("ogg", "mp3", "opus"):
        dj.start(codec)
        connected = dj.command("-s")
        assert connected.returncode == 0, connected.stdout + connected.stderr
        started = time.monotonic()
        daemon.wait_nowplaying(lambda d: d["live"]["is_live"], 10, what=f"BUTT ({codec}) live")
        print(f"\nBUTT {codec}: on air {time.monotonic() - started:.2f} s after connecting")
        song = f"BUTT Artist - Song in {codec}"
        time.sleep(1.5)
        sent = time.monotonic()
        assert dj.command("-u", song).returncode == 0
        document = daemon.wait_nowplaying(lambda d: (d["now_playing"] or {}).get("text") == song, 5,
                                          what=f"BUTT's {codec} song")
        print(f"BUTT {codec}: song in nowplaying.json after {time.monotonic() - sent:.2f} s")
        assert document["now_playing"]["artist"] == "BUTT Artist"
        assert icecast.source("/dj") is None  # hidden
        assert dj.command("-d").returncode == 0
        daemon.wait_nowplaying(lambda d: not d["live"]["is_live"], 8, what=f"the programme back after BUTT ({codec})")
        dj.quit()
        wait_until(lambda: "the DJ left" in daemon.onair("status").stdout, 5, what="onair status saying why")
    assert daemon.process.alive()
