"""What a listener meets beyond the player page: the /embed/ widget framed by another site (and the
other pages refusing to be framed), PNG share cards, the app manifest, accessibility (axe-core in
Chromium), keyboard use, the feed limit and the /api/me probe only where the station has an API.
Real nginx (two of them: the station and a partner site on another port) and real Chromium."""
import datetime
import json
import re
import shutil
import struct
import subprocess
import time
import zlib

import pytest

from helpers.browser import PHONE, DESKTOP
from helpers.nginx import Nginx, build_site, free_port, request
from helpers.processes import wait_until


def now_playing(site, title="Harbour Lights", artist="Elbe Ensemble"):
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    doc = {"schema": 1, "updated_at": stamp, "interval": 60, "online": True,
           "station": {"name": "Kanal Elbe", "listen_url": "/stream/radio.ogg", "mounts": []},
           "live": {"is_live": False, "streamer": None, "since": None},
           "listeners": {"current": 2, "peak": 3},
           "now_playing": {"artist": artist, "title": title, "text": f"{artist} - {title}", "started_at": stamp},
           "show": None, "next_show": None, "history": []}
    (site / "nowplaying.json").write_text(json.dumps(doc))


@pytest.fixture(scope="module")
def site(tmp_path_factory, bin_dir, repo_root):
    port = free_port()
    out = build_site(bin_dir, repo_root, tmp_path_factory.mktemp("listener") / "site", f"http://127.0.0.1:{port}")
    now_playing(out)
    return out, port


@pytest.fixture
def station(site, nginx_factory):
    out, port = site
    return nginx_factory(out, port=port)


def png_size(data: bytes):
    """(width, height) of a PNG whose every chunk's CRC is right and whose image data inflates."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    offset, idat, size = 8, b"", None
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        assert struct.unpack(">I", data[offset + 8 + length:offset + 12 + length])[0] == zlib.crc32(kind + body)
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        if kind == b"IDAT":
            idat += body
        offset += 12 + length
        if kind == b"IEND":
            break
    width, height = size
    raw = zlib.decompress(idat)
    channels = {2: 3, 6: 4}[data[25]]
    assert len(raw) == height * (1 + width * channels), "image data does not match the size"
    return size


def pages(out):
    return sorted(p for p in out.rglob("index.html")) + [out / "404.html"]


def test_every_og_image_is_a_1200x630_png_that_decodes(site, station):
    out, _ = site
    seen = {}
    for page in pages(out):
        html = page.read_text()
        images = re.findall(r'<meta property="og:image" content="([^"]+)"', html)
        if page.parent.name == "embed":
            continue
        assert len(images) == 1, f"{page}: {images}"
        assert '<meta property="og:image:width" content="1200">' in html
        assert '<meta property="og:image:height" content="630">' in html
        assert re.search(r'<meta property="og:image:alt" content="[^"]+">', html)
        url = images[0]
        if url not in seen:
            status, headers, body = request(url)
            assert status == 200 and headers["content-type"] == "image/png", url
            seen[url] = png_size(body)
        assert seen[url] == (1200, 630), f"{page}: {url} is {seen[url]}"
    assert len(seen) >= 10  # the home page, list pages, every show and the posts have their own card


def test_cards_are_kept_not_rendered_again_and_builds_are_deterministic(tmp_path, bin_dir, repo_root):
    first = build_site(bin_dir, repo_root, tmp_path / "a", "http://127.0.0.1:8080")
    cards = sorted((first / "cards").iterdir())
    stamps = {p.name: p.stat().st_mtime_ns for p in cards}
    original = {p.name: p.read_bytes() for p in cards}
    (tmp_path / "Content").mkdir()
    shutil.copytree(repo_root / "Content", tmp_path / "Content", dirs_exist_ok=True)
    post = next((tmp_path / "Content" / "news").glob("*.md"))
    post.write_text(post.read_text().replace("title:", "title: Changed", 1))
    build_site(bin_dir, repo_root, first, "http://127.0.0.1:8080", content=tmp_path / "Content")
    again = {p.name: p.stat().st_mtime_ns for p in (first / "cards").iterdir()}
    kept = [name for name in stamps if again.get(name) == stamps[name]]
    assert len(kept) == len(stamps) - 1, "only the changed post's card is new"
    assert len(again) == len(stamps)
    second = build_site(bin_dir, repo_root, tmp_path / "b", "http://127.0.0.1:8080")
    assert original == {p.name: p.read_bytes() for p in (second / "cards").iterdir()}


def test_embed_plays_framed_by_another_origin_and_other_pages_refuse(browser, site, station, tmp_path, bin_dir):
    status, headers, body = request(station.url + "embed/")
    assert status == 200 and "x-frame-options" not in headers
    assert "frame-ancestors *" in headers["content-security-policy"]
    assets = re.findall(r'(?:href|src)="(/assets/embed\.[a-z]+\?v=[0-9a-f]+)"', body.decode())
    assert len(assets) == 2
    assert len(body) + sum(len(request(station.url + a.lstrip("/"))[2]) for a in assets) < 10_000
    status, headers, _ = request(station.url)
    assert headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in headers["content-security-policy"]

    partner_site = tmp_path / "partner"
    partner_site.mkdir()
    (partner_site / "index.html").write_text(
        f'<!doctype html><title>Partner</title><h1>Partner blog</h1>'
        f'<iframe id="widget" src="{station.url}embed/" title="Radio" width="320" height="96"></iframe>'
        f'<iframe id="page" src="{station.url}" title="Page" width="320" height="200"></iframe>')
    partner = Nginx(bin_dir, tmp_path / "partner-nginx", partner_site)
    conf = partner.prefix / "onair.conf"
    conf.write_text(re.sub(r"\n *add_header Content-Security-Policy[^\n]*", "", conf.read_text()))
    partner.start()
    try:
        assert partner.port != station.port
        browser.get(partner.url)
        driver = browser.driver
        driver.switch_to.frame(driver.find_element("id", "widget"))
        wait_until(lambda: browser.text("embed-title") == "Harbour Lights", 10, interval=0.2, what="the embed's title")
        assert browser.text("embed-artist") == "Elbe Ensemble"
        assert browser.text("embed-badge") == "On air"
        assert browser.visible("embed-play")
        driver.find_element("id", "embed-play").click()
        # No Icecast here: the click asks the same-origin stream for audio (test_station covers real playback).
        source = browser.js("return document.getElementById('embed-audio').getAttribute('src')")
        assert source.startswith(station.url + "stream/"), source
        browser.screenshot("embed-framed")
        driver.switch_to.default_content()
        driver.switch_to.frame(driver.find_element("id", "page"))
        assert browser.js("return document.getElementById('player')") is None, "the player page was framed"
        driver.switch_to.default_content()
    finally:
        partner.stop()


def test_no_api_probe_without_onair_api_and_chat_only_with_it(browser, site, station, tmp_path, bin_dir, repo_root):
    out, _ = site
    assert "chat.js" not in (out / "index.html").read_text()
    with_api = build_site(bin_dir, repo_root, tmp_path / "api", "http://127.0.0.1:8080", api=True)
    assert "chat.js" in (with_api / "index.html").read_text()
    for path in ("", "schedule/", "shows/", "news/", "embed/"):
        browser.get(station.url + path)
        time.sleep(0.5)
        requested = browser.js("return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
        assert not [url for url in requested if "/api/" in url], path
        assert not [line for line in browser.console() if "404" in line], browser.console()


def test_feed_keeps_the_latest_posts_and_the_archive_is_paginated(tmp_path, bin_dir, repo_root):
    content = tmp_path / "Content"
    shutil.copytree(repo_root / "Content", content)
    yaml = content / "station.yaml"
    yaml.write_text(yaml.read_text() + "feed_items: 3\n")
    for n in range(60):
        (content / "news" / f"2026-01-{n % 28 + 1:02d}-post-{n}.md").write_text(
            f"---\ntitle: Post {n}\ndate: 2026-01-{n % 28 + 1:02d}\n---\nBody {n}.\n")
    out = build_site(bin_dir, repo_root, tmp_path / "site", "http://127.0.0.1:8080", content=content)
    assert (out / "feed.xml").read_text().count("<item>") == 3
    first = (out / "news" / "index.html").read_text()
    assert 'href="/news/page/2/" rel="next"' in first
    second = (out / "news" / "page" / "2" / "index.html").read_text()
    assert 'href="/news/" rel="prev"' in second and "Page 2 of 2" in second
    # Each archive page also has the navigation's own News link.
    total = sum(p.read_text().count('<li><a href="/news/') - 1 for p in (out / "news").rglob("index.html")
                if p.parent.name in ("news", "2"))
    posts = [p for p in (out / "news").iterdir() if p.is_dir() and p.name != "page"]
    assert total == len(posts) >= 60  # every post once across the archive
    yaml.write_text(yaml.read_text().replace("feed_items: 3", "feed_items: lots"))
    bad = subprocess.run([str(bin_dir / "onair"), "check", "--content", str(content), "--templates",
                          str(repo_root / "Templates")], capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "station.yaml" in bad.stderr + bad.stdout and "feed_items" in bad.stderr + bad.stdout


def test_manifest_and_icons(station):
    status, _, body = request(station.url + "manifest.webmanifest")
    manifest = json.loads(body)
    assert status == 200 and manifest["start_url"] == "/" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        status, headers, data = request(station.url + icon["src"].lstrip("/"))
        size = int(icon["sizes"].split("x")[0])
        assert status == 200 and png_size(data) == (size, size)


AXE_PAGES = ["", "schedule/", "shows/", "shows/night-owls/", "news/", "embed/", "about/", "does-not-exist/"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violation(browser, station, scheme, site):
    from axe_selenium_python import Axe
    out, _ = site
    posts = sorted((out / "news").glob("*/index.html"))
    paths = AXE_PAGES + [str(posts[0].parent.relative_to(out)) + "/"]
    browser.color_scheme(scheme)
    problems = []
    for path in paths:
        browser.get(station.url + path)
        time.sleep(0.3)
        axe = Axe(browser.driver)
        axe.inject()
        results = axe.run()
        for violation in results["violations"]:
            if violation["impact"] in ("serious", "critical"):
                problems.append(f"/{path}: {violation['id']} ({violation['impact']}): "
                                f"{[(n['target'], n.get('failureSummary', '')[:160]) for n in violation['nodes']][:3]}")
    assert problems == []


def test_keyboard_reaches_play_volume_and_every_link_with_visible_focus(browser, station):
    from selenium.webdriver.common.keys import Keys
    browser.get(station.url)
    wait_until(lambda: browser.visible("play-button"), 10, interval=0.2, what="the play button")
    links = browser.js("return Array.prototype.filter.call(document.querySelectorAll('a[href], button, input, select, textarea'),"
                       " function (e) { return e.offsetParent !== null; }).length")
    reached, seen, unfocused = set(), set(), []
    body = browser.driver.find_element("tag name", "body")
    for _ in range(links + 5):
        body.send_keys(Keys.TAB) if not reached else browser.driver.switch_to.active_element.send_keys(Keys.TAB)
        info = browser.js("var e = document.activeElement, s = getComputedStyle(e);"
                          "return [Array.prototype.indexOf.call(document.querySelectorAll('*'), e),"
                          " e.id || e.getAttribute('href') || e.tagName, s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0"
                          " || s.boxShadow !== 'none'];")
        if info[0] in seen or info[1] == "BODY":
            break
        seen.add(info[0])
        reached.add(info[1])
        if not info[2]:
            unfocused.append(info[1])
    for needed in ("play-button", "mute-button", "volume", "/schedule/", "/listen.m3u", "embed-size"):
        assert needed in reached, f"{needed} is not reachable with Tab ({sorted(reached)})"
    assert unfocused == [], f"no visible focus on {unfocused}"
    browser.js("document.getElementById('play-button').focus()")
    browser.driver.switch_to.active_element.send_keys(Keys.ENTER)
    assert browser.js("return document.getElementById('play-button').getAttribute('aria-pressed')") == "true"
    browser.driver.switch_to.active_element.send_keys(Keys.ENTER)
    assert browser.js("return document.getElementById('play-button').getAttribute('aria-pressed')") == "false"


def test_screenshots_of_embed_card_and_pages(browser, station, site):
    out, _ = site
    for scheme in ("light", "dark"):
        browser.color_scheme(scheme)
        for name, (width, height) in (("phone", PHONE), ("desktop", DESKTOP)):
            browser.size(width, height)
            browser.get(station.url)
            time.sleep(0.5)
            browser.screenshot(f"listener-home-{name}-{scheme}")
        browser.size(360, 120)
        browser.get(station.url + "embed/")
        time.sleep(0.5)
        browser.screenshot(f"embed-{scheme}", full_page=False)
    card = re.search(r'og:image" content="[^"]*/(cards/[0-9a-f]+\.png)"', (out / "shows/night-owls/index.html").read_text())
    shutil.copy(out / card.group(1), browser_screenshot_dir() / "card-night-owls.png")


def browser_screenshot_dir():
    from helpers.browser import SCREENSHOTS
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


GERMAN_PAGES = ["", "schedule/", "shows/", "shows/night-owls/", "news/", "about/", "embed/", "does-not-exist/"]
VISIBLE_TEXTS = """
var out = [];
var walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  var node = walker.currentNode, parent = node.parentElement;
  if (!parent || /^(SCRIPT|STYLE)$/.test(parent.tagName)) continue;
  var text = node.textContent.trim();
  if (text) out.push(text);
}
document.querySelectorAll('[aria-label],[placeholder],[title],[alt],[aria-valuetext]').forEach(function (e) {
  ['aria-label', 'placeholder', 'title', 'alt', 'aria-valuetext'].forEach(function (name) {
    var value = e.getAttribute(name);
    if (value && value.trim()) out.push(value.trim());
  });
});
out.push(document.title);
return out;
"""


def test_german_station_shows_no_english_fixed_text(browser, tmp_path, bin_dir, repo_root, nginx_factory):
    import yaml
    english = yaml.safe_load((repo_root / "Templates/strings/en.yaml").read_text())
    german = yaml.safe_load((repo_root / "Templates/strings/de.yaml").read_text())
    # The English fixed texts a German page must not show (those spelled alike in both are left out).
    patterns = {value: re.compile("^" + re.sub(r"\\\{\w+\\\}", ".+", re.escape(value)) + "$")
                for key, value in english.items() if value != german[key] and len(value) > 2}
    patterns.update({word: re.compile(f"^{word}$") for word in ("Stopped", "Playing", "Listen", "Schedule", "Shows")})
    content = tmp_path / "Content"
    shutil.copytree(repo_root / "Content", content)
    station_yaml = content / "station.yaml"
    station_yaml.write_text(station_yaml.read_text().replace("language: en", "language: de"))
    port = free_port()
    out = build_site(bin_dir, repo_root, tmp_path / "site", f"http://127.0.0.1:{port}", content=content)
    now_playing(out)
    server = nginx_factory(out, port=port)
    post = sorted((out / "news").glob("*/index.html"))[0].parent.relative_to(out)
    found = []
    for path in GERMAN_PAGES + [f"{post}/"]:
        browser.get(server.url + path)
        time.sleep(0.6)
        for text in browser.js(VISIBLE_TEXTS):
            found += [f"/{path}: {text!r} ({english_text!r})" for english_text, pattern in patterns.items() if pattern.match(text)]
    browser.get(server.url)
    wait_until(lambda: browser.text("np-title") == "Harbour Lights", 10, interval=0.2, what="the German player's title")
    assert browser.text("np-badge") == "Auf Sendung" and browser.text("np-listeners") == "2 Hörer:innen"
    browser.screenshot("german-home")
    assert found == [], "\n".join(found)
