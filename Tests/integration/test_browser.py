"""The listener's page in a real headless Chromium, served by a real nginx with the config that
`onair nginx-config` generates, over the example station built by `onair build`. The now-playing
document is hand-written here (kept fresh by a thread, as the daemon would), so these tests need
neither Icecast nor onaird; test_station.py covers the full stack."""
import datetime
import gzip
import json
import os
import pathlib
import re
import subprocess
import threading
import time
import urllib.parse

import pytest

from helpers.browser import DESKTOP, PHONE, By
from helpers.nginx import build_site, free_port, request
from helpers.processes import wait_until

XSS = "<img src=x onerror=alert(1)>"


def iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def document(**changes) -> dict:
    now = datetime.datetime.now(datetime.timezone.utc)
    doc = {
        "schema": 1,
        "updated_at": iso(now),
        "interval": 2,
        "station": {"name": "Radio Example", "listen_url": "http://127.0.0.1:8000/radio.ogg",
                    "mounts": [{"url": "http://127.0.0.1:8000/radio.ogg", "format": "vorbis",
                                "bitrate": 128, "listeners": 3}]},
        "online": True,
        "live": {"is_live": False, "streamer": None, "since": None},
        "listeners": {"current": 3, "peak": 7},
        "now_playing": {"artist": "Sine Quartet", "title": "Morning Drift", "text": "Sine Quartet - Morning Drift",
                        "started_at": iso(now - datetime.timedelta(seconds=40)), "duration": 212.4},
        "show": {"title": "Night Owls", "host": "Sam Rivera", "url": "/shows/night-owls/",
                 "starts_at": iso(now - datetime.timedelta(hours=1)), "ends_at": iso(now + datetime.timedelta(hours=2))},
        "next_show": {"title": "Morning Drive", "host": "Alex", "url": "/shows/morning-drive/",
                      "starts_at": iso(now + datetime.timedelta(hours=2)), "ends_at": iso(now + datetime.timedelta(hours=5))},
        "history": [
            {"artist": "The Oscillators", "title": "Loopback Avenue", "text": "The Oscillators - Loopback Avenue",
             "played_at": iso(now - datetime.timedelta(minutes=4))},
            {"artist": "Pluck & Pad", "title": "Night Owl Waltz", "text": "Pluck & Pad - Night Owl Waltz",
             "played_at": iso(now - datetime.timedelta(minutes=8))},
        ],
    }
    doc.update(changes)
    return doc


class NowPlaying:
    """Writes site/nowplaying.json atomically every second with a fresh `updated_at`, like onaird."""

    def __init__(self, site: pathlib.Path):
        self.path = site / "nowplaying.json"
        self.changes = {}
        self.fresh = True
        self.lock = threading.Lock()
        self.running = True
        self.write()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def set(self, **changes):
        with self.lock:
            self.changes.update(changes)
        self.write()

    def write(self, raw: dict | None = None):
        with self.lock:
            doc = raw if raw is not None else document(**self.changes)
            tmp = self.path.with_name(".nowplaying.json.tmp")
            tmp.write_text(json.dumps(doc))
            os.replace(tmp, self.path)

    def freeze(self, doc: dict):
        """Stops refreshing and leaves `doc` as the file (e.g. a stale one)."""
        self.running = False
        self.thread.join(timeout=5)
        self.write(doc)

    def loop(self):
        while self.running:
            time.sleep(1)
            if self.running:
                self.write()

    def stop(self):
        self.running = False
        self.thread.join(timeout=5)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory, bin_dir, repo_root):
    """The example station built once into a temporary folder, for a port chosen up front."""
    port = free_port()
    out = build_site(bin_dir, repo_root, tmp_path_factory.mktemp("browser-site") / "site", f"http://127.0.0.1:{port}")
    return out, port


@pytest.fixture
def station_page(built_site, nginx_factory, tmp_path):
    """nginx serving a copy of the built site (tests change nowplaying.json) + the now-playing writer."""
    import shutil
    source, port = built_site
    site = tmp_path / "site"
    shutil.copytree(source, site)
    writer = NowPlaying(site)
    server = nginx_factory(site, port=port)
    yield server, writer, site
    writer.stop()


def wait_text(browser, element_id, expected, timeout=10):
    return wait_until(lambda: browser.text(element_id) == expected, timeout, interval=0.2,
                      what=f"#{element_id} to read {expected!r} (it reads {browser.text(element_id)!r})")


def test_player_shows_the_now_playing_document(browser, station_page):
    server, writer, _ = station_page
    browser.get(server.url)
    wait_text(browser, "np-title", "Morning Drift")
    assert browser.text("np-artist") == "Sine Quartet"
    assert browser.text("np-badge") == "On air"
    assert browser.text("np-listeners") == "3 listeners"
    assert browser.text("np-show") == "Night Owls"
    assert browser.js("return document.getElementById('np-show').getAttribute('href');") == "/shows/night-owls/"
    assert browser.text("np-host") == "Sam Rivera"
    assert browser.text("np-next") == "Morning Drive"
    history = browser.js("return Array.from(document.querySelectorAll('#np-history li')).map(li => "
                         "[li.querySelector('.history-title').textContent, li.querySelector('.history-artist').textContent]);")
    assert history == [["Loopback Avenue", "The Oscillators"], ["Night Owl Waltz", "Pluck & Pad"]]
    assert browser.visible("np-history-box")
    assert browser.text("np-announce") == "Now playing: Sine Quartet – Morning Drift"
    assert "Sine Quartet – Morning Drift" in browser.js("return document.title;")
    assert browser.js("var m = navigator.mediaSession && navigator.mediaSession.metadata;"
                      "return m ? [m.title, m.artist, m.album === document.getElementById('player').dataset.station] : null;"
                      ) == ["Morning Drift", "Sine Quartet", True]
    # Without a click nothing streams: preload="none" and no src until play.
    assert browser.js("return document.getElementById('player-audio').getAttribute('preload');") == "none"
    assert browser.js("return document.getElementById('player-audio').hasAttribute('crossorigin');") is False
    assert browser.csp_violations() == []
    assert browser.alerts() == []


def test_page_follows_a_new_song_within_one_interval(browser, station_page):
    server, writer, _ = station_page
    browser.get(server.url)
    wait_text(browser, "np-title", "Morning Drift")
    started = time.monotonic()
    writer.set(now_playing={"artist": "Low Pass Society", "title": "Late Jazz Hour",
                            "text": "Low Pass Society - Late Jazz Hour", "started_at": iso(datetime.datetime.now()),
                            "duration": None}, listeners={"current": 1, "peak": 7})
    wait_text(browser, "np-title", "Late Jazz Hour", timeout=2 + 2)  # interval 2 s + margin
    assert time.monotonic() - started < 4
    assert browser.text("np-artist") == "Low Pass Society"
    assert browser.text("np-listeners") == "1 listener"
    assert browser.text("np-announce") == "Now playing: Low Pass Society – Late Jazz Hour"
    # Share links carry the current song (X's text parameter).
    hrefs = browser.js("return Array.from(document.querySelectorAll('a[data-share]')).map(a => a.href);")
    if hrefs:
        texts = [urllib.parse.unquote(h) for h in hrefs]
        assert any("Low Pass Society – Late Jazz Hour" in t for t in texts), texts


def test_live_and_off_air_badges(browser, station_page):
    server, writer, _ = station_page
    browser.get(server.url)
    wait_text(browser, "np-badge", "On air")
    writer.set(live={"is_live": True, "streamer": "DJ Sam", "since": iso(datetime.datetime.now())})
    wait_text(browser, "np-badge", "Live: DJ Sam")
    assert browser.js("return document.getElementById('player').dataset.state;") == "live"
    writer.set(online=False, live={"is_live": False, "streamer": None, "since": None})
    wait_text(browser, "np-badge", "Off air")
    assert browser.text("np-title") != "Late Jazz Hour"


def test_stale_document_shows_status_unknown_not_old_data(browser, station_page):
    server, writer, _ = station_page
    browser.get(server.url)
    wait_text(browser, "np-title", "Morning Drift")
    old = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=60)
    writer.freeze(document(updated_at=iso(old)))
    wait_text(browser, "np-badge", "Status unknown", timeout=8)
    assert browser.text("np-title") != "Morning Drift"
    assert not browser.visible("np-listeners")
    assert not browser.visible("np-show-box")
    browser.screenshot("player-status-unknown-desktop", full_page=False)


def test_failed_fetch_shows_status_unknown(browser, station_page):
    server, writer, site = station_page
    browser.get(server.url)
    wait_text(browser, "np-title", "Morning Drift")
    writer.stop()
    (site / "nowplaying.json").unlink()
    wait_text(browser, "np-badge", "Status unknown", timeout=8)
    assert browser.text("np-title") != "Morning Drift"


def test_hostile_title_is_shown_as_text_and_runs_nothing(browser, station_page):
    server, writer, _ = station_page
    writer.set(now_playing={"artist": "<b>bold</b>", "title": XSS, "text": "x", "started_at": None, "duration": None},
               show={"title": XSS, "host": "<script>alert(2)</script>", "url": "javascript:alert(3)",
                     "starts_at": iso(datetime.datetime.now()), "ends_at": iso(datetime.datetime.now() + datetime.timedelta(hours=1))},
               history=[{"artist": XSS, "title": XSS, "text": XSS, "played_at": iso(datetime.datetime.now())}])
    browser.get(server.url)
    wait_text(browser, "np-title", XSS)
    assert browser.text("np-artist") == "<b>bold</b>"
    assert browser.text("np-host") == "<script>alert(2)</script>"
    assert browser.js("return document.getElementById('np-show').getAttribute('href');") == "/schedule/"
    time.sleep(1)
    assert browser.js("return document.querySelectorAll('img[src=\"x\"], #player b, #player script').length;") == 0
    assert browser.alerts() == []
    assert browser.csp_violations() == []


def test_no_csp_violation_on_any_page(browser, station_page):
    server, _, site = station_page
    pages = ["", "schedule/", "404-does-not-exist"]
    shows = sorted(p.parent.name for p in (site / "shows").glob("*/index.html"))
    pages += [f"shows/{shows[0]}/"] if shows else []
    for page in pages:
        browser.get(server.url + page)
        time.sleep(0.5)
        assert browser.csp_violations() == [], page
        assert browser.alerts() == [], page


def test_play_without_a_stream_shows_reconnecting_and_stop_works(browser, station_page):
    """nginx answers 502 for /stream/ here (no Icecast): the player must say so and keep retrying."""
    server, _, _ = station_page
    browser.get(server.url)
    wait_text(browser, "np-title", "Morning Drift")
    button = browser.driver.find_element(By.ID, "play-button")
    label = button.get_attribute("aria-label")
    assert label.startswith("Play")
    # Keyboard operable: focus it and press Enter.
    browser.js("document.getElementById('play-button').focus();")
    assert browser.js("return document.activeElement.id;") == "play-button"
    outline = browser.js("return getComputedStyle(document.activeElement).outlineStyle;")
    button.send_keys("\n")
    wait_until(lambda: browser.text("player-state").startswith("Reconnecting"), 10, interval=0.2,
               what="'Reconnecting…' after play without a stream")
    assert button.get_attribute("aria-pressed") == "true"
    assert button.get_attribute("aria-label").startswith("Stop")
    button.click()
    assert browser.text("player-state") == "Stopped"
    assert button.get_attribute("aria-pressed") == "false"
    assert outline in ("solid", "auto")


def test_volume_and_mute(browser, station_page):
    server, _, _ = station_page
    browser.get(server.url)
    mute = browser.driver.find_element(By.ID, "mute-button")
    mute.click()
    assert browser.js("return document.getElementById('player-audio').muted;") is True
    assert mute.get_attribute("aria-pressed") == "true"
    assert mute.get_attribute("aria-label") == "Unmute"
    browser.js("var v = document.getElementById('volume'); v.value = 30; v.dispatchEvent(new Event('input'));")
    assert browser.js("return document.getElementById('player-audio').volume;") == pytest.approx(0.3)
    assert browser.js("return document.getElementById('player-audio').muted;") is False
    assert browser.js("return document.querySelector('label.volume').textContent.trim();") == "Volume"


def test_reduced_motion_stops_animations(browser, station_page):
    server, _, _ = station_page
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})
    browser.get(server.url)
    browser.js("document.getElementById('player').classList.add('is-busy');")
    assert browser.js("return getComputedStyle(document.querySelector('.play-button .spinner')).animationName;") == "none"
    duration = browser.js("return getComputedStyle(document.querySelector('.play-button')).transitionDuration;")
    assert float(duration.split(",")[0].rstrip("ms") or 0) < 0.01, duration


def test_nowplaying_revalidates_with_304_and_headers(station_page):
    server, writer, _ = station_page
    writer.stop()
    status, headers, body = request(server.url + "nowplaying.json", headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["cache-control"] == "no-cache"
    assert "etag" in headers and "last-modified" in headers
    json.loads(gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body)
    assert request(server.url + "nowplaying.json", headers={"If-None-Match": headers["etag"]})[0] == 304
    assert request(server.url + "nowplaying.json", headers={"If-Modified-Since": headers["last-modified"]})[0] == 304

    status, headers, _ = request(server.url)
    assert status == 200
    assert headers["cache-control"] == "no-cache" and "etag" in headers
    csp = headers["content-security-policy"]
    for directive in ("default-src 'self'", "media-src 'self'", "script-src 'self'", "style-src 'self'",
                      "frame-ancestors 'none'"):
        assert directive in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "permissions-policy" in headers
    assert request(server.url, headers={"Accept-Encoding": "gzip"})[1].get("content-encoding") == "gzip"


def test_types_caching_dotfiles_and_404(station_page):
    server, _, site = station_page
    assert request(server.url + "listen.m3u")[1]["content-type"] == "audio/x-mpegurl"
    assert request(server.url + "listen.pls")[1]["content-type"] == "audio/x-scpls"
    assert request(server.url + "schedule.ics")[1]["content-type"].startswith("text/calendar")
    (site / ".secret").write_text("no")
    assert request(server.url + ".secret")[0] == 403
    assert request(server.url + "shows/.secret")[0] == 403
    (site / ".well-known" / "acme-challenge").mkdir(parents=True)
    (site / ".well-known" / "acme-challenge" / "token123").write_text("proof")
    assert request(server.url + ".well-known/acme-challenge/token123")[2] == b"proof"
    status, _, body = request(server.url + "no-such-page/")
    assert status == 404 and b"<html" in body.lower()
    html = (site / "index.html").read_text()
    assets = re.findall(r'(?:href|src)="(/assets/[^"]+)"', html)
    assert assets, "the player page links no assets"
    for asset in assets:
        status, headers, _ = request(server.url + asset.lstrip("/"))
        assert status == 200, asset
        assert headers["cache-control"] == "public, max-age=31536000, immutable", asset


def test_player_page_transfer_is_under_100_kb(browser, station_page):
    server, _, _ = station_page
    browser.get(server.url)
    wait_text(browser, "np-title", "Morning Drift")
    entries = browser.js("""
        const nav = performance.getEntriesByType('navigation')[0];
        return [[nav.name, nav.transferSize, nav.encodedBodySize, nav.decodedBodySize]].concat(
          performance.getEntriesByType('resource').map(e => [e.name, e.transferSize, e.encodedBodySize, e.decodedBodySize]));
    """)
    transferred = sum(entry[1] or entry[2] for entry in entries)
    decoded = sum(entry[3] for entry in entries)
    print(f"player page: {len(entries)} files, {transferred} bytes transferred, {decoded} bytes decoded")
    assert all(not entry[0].split("?")[0].endswith((".ogg", ".mp3")) for entry in entries)
    assert transferred < 100 * 1024
    assert decoded < 100 * 1024


def test_schedule_highlights_the_slot_on_air_and_converts_times(browser, station_page):
    server, _, site = station_page
    html = (site / "schedule" / "index.html").read_text()
    slot = re.search(r'class="[^"]*\bslot\b[^"]*"[^>]*\bdata-start="([^"]+)"', html) or \
        re.search(r'data-start="([^"]+)"[^>]*class="[^"]*\bslot\b', html)
    assert slot, "no .slot with data-start on the schedule page"
    start = datetime.datetime.fromisoformat(slot.group(1).replace("Z", "+00:00"))
    # Pretend it is one minute into that slot (the page's clock only; the page cannot tell).
    target_ms = int((start + datetime.timedelta(minutes=1)).timestamp() * 1000)
    browser.add_init_script(
        f"(function(){{var shift = {target_ms} - Date.now(); var real = Date.now;"
        f"Date.now = function(){{ return real() + shift; }};}})();")
    browser.timezone("America/New_York")
    browser.get(server.url + "schedule/")
    on_air = browser.js("return Array.from(document.querySelectorAll('.slot.on-air')).map(e => e.dataset.start);")
    assert slot.group(1) in on_air
    note = browser.text("tz-note")
    assert "America/New_York" in note, note
    assert browser.js("return document.querySelectorAll('.station-time').length;") > 0
    assert browser.csp_violations() == []
    browser.js("document.querySelector('.slot.on-air').scrollIntoView({block: 'center'});")
    browser.screenshot("schedule-on-air-new-york-desktop", full_page=False)


def test_schedule_highlight_keeps_local_time_across_daylight_saving(browser, station_page):
    """Weeks after the build, past a daylight-saving change, a weekly show still airs at its local
    time: the page must move the UTC instant by the zone's offset change, not by whole weeks."""
    from zoneinfo import ZoneInfo
    server, _, site = station_page
    html = (site / "schedule" / "index.html").read_text()
    zone = ZoneInfo(re.search(r'id="tz-note"[^>]*data-timezone="([^"]+)"', html).group(1))
    utc = datetime.timezone.utc
    slots = re.findall(r'<[^>]*\bclass="[^"]*\bslot\b[^"]*"[^>]*>', html)
    slot = None
    for tag in slots:
        if "data-weekly-start" not in tag or "data-special" in tag:
            continue
        start = datetime.datetime.fromisoformat(re.search(r'data-start="([^"]+)"', tag).group(1).replace("Z", "+00:00"))
        end = datetime.datetime.fromisoformat(re.search(r'data-end="([^"]+)"', tag).group(1).replace("Z", "+00:00"))
        if 9 <= start.astimezone(zone).hour <= 20 and end - start <= datetime.timedelta(hours=3):
            slot = (re.search(r'data-start="([^"]+)"', tag).group(1), start, end)
            break
    assert slot, "no daytime weekly slot on the schedule page"
    attr, start, end = slot
    # The first week whose airing has another UTC offset than the built one.
    for weeks in range(1, 60):
        local_start = start.astimezone(zone) + datetime.timedelta(weeks=weeks)
        if local_start.utcoffset() != start.astimezone(zone).utcoffset():
            break
    else:
        raise AssertionError(f"{zone} has no daylight-saving change within a year")
    true_start = local_start.astimezone(utc)
    true_end = (end.astimezone(zone) + datetime.timedelta(weeks=weeks)).astimezone(utc)
    assert abs((true_start - (start + datetime.timedelta(weeks=weeks))).total_seconds()) == 3600
    for moment in (true_start + datetime.timedelta(minutes=1), true_end - datetime.timedelta(minutes=1)):
        target_ms = int(moment.timestamp() * 1000)
        browser.add_init_script(
            f"(function(){{var shift = {target_ms} - Date.now(); var real = Date.now;"
            f"Date.now = function(){{ return real() + shift; }};}})();")
        browser.get(server.url + "schedule/")
        on_air = browser.js("return Array.from(document.querySelectorAll('.slot.on-air')).map(e => e.dataset.start);")
        assert attr in on_air, f"{moment.isoformat()} ({weeks} weeks on): on air {on_air}"


def test_show_page_tells_the_next_airing(browser, station_page):
    server, _, site = station_page
    show = sorted(p.parent.name for p in (site / "shows").glob("*/index.html"))[0]
    browser.get(server.url + f"shows/{show}/")
    text = wait_until(lambda: browser.text("next-airing"), 5, what="#next-airing")
    assert re.match(r"^(Next on air (today|tomorrow|\w+, .+) at \d\d:\d\d|On air now, until \d\d:\d\d)", text), text
    assert browser.csp_violations() == []


def test_browser_polls_with_conditional_requests(browser, station_page):
    """An unchanged nowplaying.json costs the browser a 304, not the whole file."""
    server, writer, _ = station_page
    log = server.prefix / "access.log"
    writer.freeze(document())  # fresh, then unchanged
    browser.get(server.url)
    wait_text(browser, "np-title", "Morning Drift")
    wait_until(lambda: '"GET /nowplaying.json HTTP/1.1" 304' in log.read_text(), 6, interval=0.2,
               what="a 304 for nowplaying.json in nginx's access log")


def test_pushed_documents_render_at_once_and_polling_rests(browser, station_page):
    """The contract with chat.js (onair-api's event stream): `onair:push` {open} and `onair:nowplaying`."""
    server, _, _ = station_page
    log = server.prefix / "access.log"
    polls = lambda: log.read_text().count("GET /nowplaying.json")  # noqa: E731
    browser.get(server.url)
    wait_text(browser, "np-title", "Morning Drift")
    browser.js("window.dispatchEvent(new CustomEvent('onair:push', {detail: {open: true}}));")
    pushed = document(now_playing={"artist": "DJ Sam", "title": "Pushed Title", "text": "DJ Sam - Pushed Title",
                                   "started_at": None, "duration": None})
    browser.js("window.dispatchEvent(new CustomEvent('onair:nowplaying', {detail: arguments[0]}));", pushed)
    assert browser.text("np-title") == "Pushed Title"
    time.sleep(2.5)
    before = polls()
    time.sleep(4.5)
    assert polls() == before, "polled while the push stream was open"
    browser.js("window.dispatchEvent(new CustomEvent('onair:push', {detail: {open: false}}));")
    wait_until(lambda: polls() > before, 3, what="polling to resume when the push stream closes")
    wait_text(browser, "np-title", "Morning Drift")


def test_polling_pauses_while_the_tab_is_hidden(browser, station_page):
    """Headless Chromium never hides a tab, so the page's view of visibility is steered from here."""
    server, _, _ = station_page
    log = server.prefix / "access.log"
    browser.add_init_script(
        "Object.defineProperty(document, 'hidden', {get: function () { return window.__hidden === true; }});"
        "Object.defineProperty(document, 'visibilityState', {get: function () {"
        " return window.__hidden === true ? 'hidden' : 'visible'; }});")
    browser.get(server.url)
    wait_text(browser, "np-title", "Morning Drift")
    polls = lambda: log.read_text().count("GET /nowplaying.json")  # noqa: E731
    browser.js("window.__hidden = true; document.dispatchEvent(new Event('visibilitychange'));")
    time.sleep(2.5)  # a poll already on its way may still land
    before = polls()
    time.sleep(6)  # three intervals
    assert polls() == before, f"{polls() - before} polls while hidden"
    browser.js("window.__hidden = false; document.dispatchEvent(new Event('visibilitychange'));")
    wait_until(lambda: polls() > before, 3, what="an immediate poll when the tab shows again")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(browser, station_page, scheme):
    """Player and schedule at phone and desktop widths, light and dark: test-output/screenshots/."""
    server, _, _ = station_page
    browser.color_scheme(scheme)
    for name, (width, height) in (("small", (320, 640)), ("phone", PHONE), ("desktop", DESKTOP)):
        browser.size(width, height)
        browser.get(server.url)
        wait_text(browser, "np-title", "Morning Drift")
        time.sleep(0.3)
        assert browser.js("return document.documentElement.scrollWidth <= window.innerWidth + 1;"), \
            f"the player page scrolls sideways at {width} px"
        browser.screenshot(f"player-{name}-{scheme}")
        browser.get(server.url + "schedule/")
        time.sleep(0.3)
        browser.screenshot(f"schedule-{name}-{scheme}")
        assert browser.js("return document.documentElement.scrollWidth <= window.innerWidth + 1;"), \
            f"the schedule page scrolls sideways at {width} px"
    assert browser.csp_violations() == []
