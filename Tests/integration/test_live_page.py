"""A live DJ on the listener's page (issue #13), all for real: the example station built by `onair build`
and served by nginx with the generated config, Icecast with the hidden /dj mount, onaird with `live:` on
(the programme a 440 Hz tone on /radio.opus, /radio.ogg, /radio.mp3), headless Chromium playing the
stream, and ffmpeg as the DJ's source client. Everything in the DJ's stream is untrusted: its title and
stream name reach the page as text, never as markup."""
import json

import pytest

from helpers.browser import By
from helpers.onaird import three_mount_tone_config
from helpers.nginx import build_site, free_port
from helpers.processes import wait_until

TONE_TITLE = "OnAir test tone 440 Hz"
DJ_ARTIST = "Night <i>Shift</i>"
DJ_TITLE = '<b>DJ</b> & "Friends"'
DJ_NAME = "DJ <Sam>"


@pytest.fixture
def live_stack(tmp_path, bin_dir, repo_root, icecast, nginx_factory, processes):
    port = free_port()
    site = build_site(bin_dir, repo_root, tmp_path / "site", f"http://127.0.0.1:{port}")
    config = three_mount_tone_config(tmp_path, site, icecast, port, tmp_path / "onaird.sock",
                                     extra="live: { mount: /dj, fade: 1 }\n")
    onaird = processes([str(bin_dir / "onaird"), "--config", str(config)], tmp_path / "onaird.log")
    for mount in ("/radio.opus", "/radio.ogg", "/radio.mp3"):
        icecast.wait_for_source(mount, timeout=30)
    server = nginx_factory(site, icecast_url=icecast.url, port=port)
    nowplaying = site / "nowplaying.json"
    wait_until(lambda: json.loads(nowplaying.read_text()).get("online") is True, 20, interval=0.3,
               what="nowplaying.json to say online")
    return server, onaird, nowplaying


def current_time(browser):
    return browser.js("return document.getElementById('player-audio').currentTime;")


def markup_in_player(browser):
    """Elements the DJ's strings would have made had they been inserted as HTML."""
    return browser.js("return document.querySelectorAll('#player b, #player i, #np-history b, #np-history i').length;")


def test_a_live_dj_on_the_page_as_text_and_the_programme_back_when_they_leave(browser, live_stack, icecast, processes,
                                                                            tmp_path):
    server, onaird, nowplaying = live_stack
    browser.get(server.url)
    wait_until(lambda: browser.text("np-title") == TONE_TITLE, 20, interval=0.3,
               what=f"the programme's title (reads {browser.text('np-title')!r})")
    assert browser.text("np-badge") == "On air"
    browser.driver.find_element(By.ID, "play-button").click()
    wait_until(lambda: current_time(browser) > 1, 20, interval=0.25,
               what=f"the audio to play (state {browser.text('player-state')!r})")

    dj = processes(["ffmpeg", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", "sine=frequency=880:sample_rate=48000",
                    "-t", "90", "-ac", "2", "-c:a", "libopus", "-b:a", "96k", "-metadata", f"artist={DJ_ARTIST}",
                    "-metadata", f"title={DJ_TITLE}", "-ice_name", DJ_NAME, "-content_type", "application/ogg",
                    "-f", "ogg", f"icecast://source:{icecast.dj_password}@127.0.0.1:{icecast.port}/dj"],
                   tmp_path / "dj.log")
    wait_until(lambda: browser.text("np-badge") == f"Live: {DJ_NAME}", 20, interval=0.3,
               what=f"the live badge (reads {browser.text('np-badge')!r}; nowplaying.json live: "
                    f"{json.loads(nowplaying.read_text()).get('live')}; DJ log: {dj.output()[-300:]!r})")
    assert browser.js("return document.getElementById('np-badge').dataset.state;") == "live"
    # The title follows the ears: it shows once the listener's player reaches the moment the DJ came on.
    wait_until(lambda: browser.text("np-title") == DJ_TITLE, 20, interval=0.3,
               what=f"the DJ's title as text (reads {browser.text('np-title')!r})")
    assert browser.text("np-artist") == DJ_ARTIST
    assert browser.text("np-label") == "Live now"
    assert browser.text("np-announce") == f"Now playing: {DJ_ARTIST} – {DJ_TITLE}"
    assert browser.js("return document.getElementById('np-title').innerHTML;") == \
        "&lt;b&gt;DJ&lt;/b&gt; &amp; \"Friends\""
    assert markup_in_player(browser) == 0
    assert f"{DJ_ARTIST} – {DJ_TITLE}" in browser.js("return document.title;")

    playing_at = current_time(browser)
    dj.stop()  # SIGTERM: ffmpeg ends its stream and hangs up
    wait_until(lambda: browser.text("np-badge") == "On air", 20, interval=0.3,
               what=f"the live badge to go (reads {browser.text('np-badge')!r})")
    wait_until(lambda: browser.text("np-title") == TONE_TITLE, 20, interval=0.3,
               what=f"the programme's title back (reads {browser.text('np-title')!r})")
    assert browser.text("np-label") == "Now playing"
    history = browser.js("return Array.from(document.querySelectorAll('#np-history .history-title'))"
                         ".map(e => e.textContent);")
    assert DJ_TITLE in history, history
    assert markup_in_player(browser) == 0
    # The listener was never disconnected: the same <audio> kept playing through both switches.
    assert current_time(browser) > playing_at + 2
    assert browser.js("return document.getElementById('player-audio').error;") is None
    assert browser.text("player-state") == "Playing"
    assert browser.alerts() == []
    assert browser.csp_violations() == []
