"""`onair build|check|new` on the example station, checked with real parsers (html.parser, xml,
icalendar) and from the outside: exit codes, exact error lines, internal links, sizes."""
import email.utils
import html.parser
import json
import os
import pathlib
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET

import icalendar
import pytest

from helpers.processes import wait_until

BASE = "https://kanal-elbe.example"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
EPOCH = "1795600800"  # Wednesday 2026-11-25 10:00 UTC


def run(bin_dir, *args, cwd=None, env=None):
    environment = dict(os.environ, **(env or {}))
    return subprocess.run([str(bin_dir / "onair"), *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                          env=environment)


@pytest.fixture
def station(tmp_path, repo_root):
    """A copy of the example station in tmp_path (Content/ and Templates/)."""
    for folder in ("Content", "Templates"):
        shutil.copytree(repo_root / folder, tmp_path / folder, ignore=shutil.ignore_patterns("music"))
    return tmp_path


@pytest.fixture
def site(station, bin_dir):
    result = run(bin_dir, "build", cwd=station, env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 0, result.stderr
    assert "[1/7] Load content" in result.stdout and "[7/7] Publish" in result.stdout
    return station / "site"


class TagBalance(html.parser.HTMLParser):
    """Fails on a closing tag that does not match the open one, or tags left open."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.links, self.ids = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("href", "src"):
            if attributes.get(name):
                self.links.append(attributes[name])
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        if tag not in VOID:
            self.stack.append((tag, self.getpos()[0]))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.problems.append(f"line {self.getpos()[0]}: </{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()


def parse_html(path):
    checker = TagBalance()
    checker.feed(path.read_text(encoding="utf-8"))
    checker.close()
    return checker


def resolves(site, link):
    target = link.split("#")[0].split("?")[0]
    if target.startswith("/stream/") or target == "/nowplaying.json":
        return True  # Icecast behind nginx / the daemon's file
    relative = target.lstrip("/")
    candidate = site / relative
    if target.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate.is_file()


def test_every_page_is_well_formed_and_every_internal_link_resolves(site):
    pages = sorted(site.rglob("*.html"))
    names = {str(p.relative_to(site)) for p in pages}
    assert {"index.html", "schedule/index.html", "shows/index.html", "shows/night-owls/index.html",
            "about/index.html", "news/index.html", "news/winter-specials/index.html", "404.html"} <= names
    assert len([n for n in names if n.startswith("shows/") and n != "shows/index.html"]) >= 6
    broken = []
    for page in pages:
        checker = parse_html(page)
        assert checker.problems == [], f"{page}: {checker.problems}"
        assert checker.stack == [], f"{page}: left open {checker.stack}"
        assert len(checker.ids) == len(set(checker.ids)), f"{page}: duplicate ids"
        for link in checker.links:
            if link.startswith("/") and not link.startswith("//") and not resolves(site, link):
                broken.append(f"{page.relative_to(site)} -> {link}")
        text = page.read_text(encoding="utf-8")
        if page.relative_to(site).parts[0] != "embed":  # the framed player (noindex, ~10 KB) has no card of its own
            assert '<meta property="og:title"' in text and '<meta name="twitter:card"' in text
        assert f'<link rel="canonical" href="{BASE}/' in text
    assert broken == []


def test_player_page_has_player_share_links_and_stays_small(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<audio class="player-audio" id="player-audio" controls preload="none" data-stream="/stream/radio.mp3"' in index
    assert '<source src="/stream/radio.opus" type="audio/ogg; codecs=opus">' in index
    assert "crossorigin" not in index
    for host in ("https://x.com/intent/post?", "https://www.facebook.com/sharer/sharer.php?u=", "https://mastodonshare.com/?",
                 "https://wa.me/?text=", "https://t.me/share/url?", "https://www.reddit.com/submit?", "mailto:?subject="):
        assert host in index, host
    assert "data-share-copy" in index and "data-share-native hidden" in index
    assert "u=https%3A%2F%2Fkanal-elbe.example%2F" in index
    # The whole player page: HTML + CSS + JS + logo, well under 100 KB.
    total = len((site / "index.html").read_bytes())
    for asset in ("assets/site.css", "assets/player.css", "assets/site.js", "assets/player.js", "assets/schedule.js",
                  "images/logo.svg"):
        total += len((site / asset).read_bytes())
    assert total < 100_000, total
    # No third-party scripts, styles or fonts.
    checker = parse_html(site / "index.html")
    assert [l for l in checker.links if l.startswith("http") and ("script" in l or l.endswith((".js", ".css", ".woff2")))] == []


def test_schedule_grid_carries_machine_readable_times(site):
    text = (site / "schedule" / "index.html").read_text(encoding="utf-8")
    assert 'id="tz-note"' in text and "Times in Europe/Berlin" in text
    # Friday's Night Owls crosses midnight: next airing from Wed 2026-11-25 is Fri 27th 22:00 CET.
    assert ('<li class="slot" data-show="night-owls" data-day="friday" data-weekly-start="22:00" data-weekly-end="02:00" '
            'data-start="2026-11-27T21:00:00Z" data-end="2026-11-28T01:00:00Z">') in text
    assert '<time class="local" datetime="2026-11-27T21:00:00Z">22:00</time>' in text
    assert 'data-special="true"' in text and "New Year&#39;s Eve on the Elbe" in text
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
        assert f'id="{day}"' in text


def test_feed_is_rss_2(site):
    root = ET.parse(site / "feed.xml").getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == "Kanal Elbe – News"
    assert channel.findtext("link") == f"{BASE}/news/"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Winter specials on Kanal Elbe", "Night Owls now on Fridays too"]
    for item in items:
        assert item.findtext("link").startswith(f"{BASE}/news/")
        assert item.findtext("guid") == item.findtext("link")
        assert email.utils.parsedate_to_datetime(item.findtext("pubDate")).year == 2026
        assert 'href="https://kanal-elbe.example/' in item.findtext("description")


def test_calendar_parses_with_weekly_rules_specials_and_a_timezone(site):
    calendar = icalendar.Calendar.from_ical((site / "schedule.ics").read_bytes())
    zones = [c for c in calendar.walk("VTIMEZONE")]
    assert [str(z["TZID"]) for z in zones] == ["Europe/Berlin"]
    assert {c.name for c in zones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}
    events = calendar.walk("VEVENT")
    weekly = [e for e in events if "RRULE" in e]
    single = [e for e in events if "RRULE" not in e]
    assert len(weekly) == 24  # every row of the week in schedule.md
    assert all(e["RRULE"]["FREQ"] == ["WEEKLY"] for e in weekly)
    assert sorted(str(e["SUMMARY"]) for e in single) == ["Christmas Eve in the Archive", "New Year's Eve on the Elbe"]
    owls = [e for e in weekly if str(e["SUMMARY"]) == "Night Owls" and e["RRULE"]["BYDAY"] == ["FR"]][0]
    start, end = owls.decoded("DTSTART"), owls.decoded("DTEND")
    assert str(start.tzinfo) in ("Europe/Berlin", "CET") or start.utcoffset().total_seconds() == 3600
    assert (start.hour, end.hour, (end - start).total_seconds()) == (22, 2, 4 * 3600)
    # Christmas Eve replaces Thursday's Dockside Jazz: that airing is excluded from the weekly rule.
    jazz = [e for e in weekly if str(e["SUMMARY"]) == "Dockside Jazz" and e["RRULE"]["BYDAY"] == ["TH"]][0]
    assert "EXDATE" in jazz
    body = (site / "schedule.ics").read_bytes()
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))


def test_sitemap_robots_and_playlists(site):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)]
    assert f"{BASE}/" in locs and f"{BASE}/shows/night-owls/" in locs
    for loc in locs:
        assert resolves(site, loc[len(BASE):]), loc
    assert f"Sitemap: {BASE}/sitemap.xml" in (site / "robots.txt").read_text()
    # MP3 first (every player plays it), then the station's other streams.
    assert (site / "listen.m3u").read_text() == (
        f"#EXTM3U\n#EXTINF:-1,Kanal Elbe (MP3 128k)\n{BASE}/stream/radio.mp3\n"
        f"#EXTINF:-1,Kanal Elbe (Opus 96k)\n{BASE}/stream/radio.opus\n"
        f"#EXTINF:-1,Kanal Elbe (Ogg Vorbis 128k)\n{BASE}/stream/radio.ogg\n")
    assert (site / "listen.pls").read_text() == (
        f"[playlist]\nNumberOfEntries=3\nFile1={BASE}/stream/radio.mp3\nTitle1=Kanal Elbe (MP3 128k)\nLength1=-1\n"
        f"File2={BASE}/stream/radio.opus\nTitle2=Kanal Elbe (Opus 96k)\nLength2=-1\n"
        f"File3={BASE}/stream/radio.ogg\nTitle3=Kanal Elbe (Ogg Vorbis 128k)\nLength3=-1\nVersion=2\n")


def test_schedule_json_is_the_daemons_contract(site):
    document = json.loads((site / "schedule.json").read_text())
    assert document["schema"] == 1 and document["timezone"] == "Europe/Berlin"
    assert document["shows"]["night-owls"] == {"title": "Night Owls", "host": "Sam Rivera", "url": "/shows/night-owls/"}
    assert {"day": "friday", "start": "22:00", "end": "02:00", "show": "night-owls"} in document["weekly"]
    assert document["upcoming"][0]["start"] >= "2026-11-24T23:00:00Z"
    assert document["upcoming"][-1]["start"] < "2026-12-09T10:00:00Z"


def test_a_live_show_is_marked_in_schedule_json_and_others_keep_their_bytes(station, bin_dir):
    show = station / "Content" / "shows" / "night-owls.md"
    show.write_text(show.read_text().replace("title: Night Owls\n", "title: Night Owls\nlive: true\n", 1))
    result = run(bin_dir, "build", cwd=station, env={"SOURCE_DATE_EPOCH": EPOCH})
    assert result.returncode == 0, result.stderr
    document = json.loads((station / "site" / "schedule.json").read_text())
    assert document["shows"]["night-owls"]["live"] is True
    assert "live" not in document["shows"]["dockside-jazz"]
    show.write_text(show.read_text().replace("live: true\n", "live: sometimes\n"))
    result = run(bin_dir, "check", cwd=station)
    assert result.returncode == 1 and "night-owls.md:" in result.stderr and "'live' must be true or false" in result.stderr, result.stderr


def test_base_url_flag_gives_working_local_playlists(station, bin_dir):
    result = run(bin_dir, "build", "--base-url", "http://127.0.0.1:8080", cwd=station)
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:8080/stream/radio.ogg" in (station / "site" / "listen.m3u").read_text()
    assert '<link rel="canonical" href="http://127.0.0.1:8080/schedule/">' in (station / "site/schedule/index.html").read_text()


def test_same_input_same_bytes_and_unchanged_files_keep_mtime(station, site, bin_dir, tmp_path):
    other = run(bin_dir, "build", "--output", str(tmp_path / "other"), cwd=station, env={"SOURCE_DATE_EPOCH": EPOCH})
    assert other.returncode == 0
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "other") for p in (tmp_path / "other").rglob("*") if p.is_file())
    for relative in files:
        assert (site / relative).read_bytes() == (tmp_path / "other" / relative).read_bytes(), relative
    mtimes = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    time.sleep(0.05)
    (site / "nowplaying.json").write_text('{"schema": 1}')
    again = run(bin_dir, "build", cwd=station, env={"SOURCE_DATE_EPOCH": EPOCH})
    assert "0 written" in again.stdout
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes
    assert (site / "nowplaying.json").read_text() == '{"schema": 1}'


def test_check_prints_exact_errors_exits_1_and_leaves_the_site_alone(station, site, bin_dir):
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    schedule = station / "Content" / "schedule.md"
    schedule.write_text(schedule.read_text().replace("| 10:00–12:00 | [Vinyl Archive]", "| 10:00–25:00 | [Vinyl Archive]")
                        .replace("| 18:00–22:00 | [Kiezbeats](shows/kiezbeats.md) |",
                                 "| 18:00–22:30 | [Kiezbeats](shows/kiezbeats.md) |"))
    (station / "Content/shows/ghost.md").write_text("no front matter\n")
    for command in ("check", "build"):
        result = run(bin_dir, command, cwd=station)
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            "Content/shows/ghost.md:1: error: missing front matter (start the file with a '---' line, then 'title: ...', then '---')",
            "Content/schedule.md:46: error: '25:00' is not a time (use HH:MM from 00:00 to 23:59; 24:00 only as an end)",
            "Content/schedule.md:49: error: slot 22:00–02:00 on Saturday overlaps 'Kiezbeats' (line 48)",
            f"2 errors; {'nothing written' if command == 'check' else 'site not changed'}".replace("2 errors", "3 errors"),
        ]
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_usage_errors_exit_64(bin_dir, tmp_path):
    bogus = run(bin_dir, "build", "--bogus", cwd=tmp_path)
    assert bogus.returncode == 64
    assert "Unknown option '--bogus'" in bogus.stderr
    bad_url = run(bin_dir, "build", "--base-url", "localhost:8080", cwd=tmp_path)
    assert bad_url.returncode == 64
    assert "--base-url must be an absolute http(s) URL like http://127.0.0.1:8080, not 'localhost:8080'" in bad_url.stderr
    for command in ("build", "check", "new"):
        helped = run(bin_dir, command, "--help", cwd=tmp_path)
        assert helped.returncode == 0 and "USAGE: onair " + command in helped.stdout


def test_new_show_scaffolds_a_file_that_builds(station, bin_dir):
    result = run(bin_dir, "new", "show", "Night Owls Two", cwd=station)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Created Content/shows/night-owls-two.md"
    text = (station / "Content/shows/night-owls-two.md").read_text()
    assert text.startswith('---\ntitle: "Night Owls Two"\nhost: ')
    again = run(bin_dir, "new", "show", "Night Owls Two", cwd=station)
    assert again.returncode == 1
    assert again.stderr == "onair: Content/shows/night-owls-two.md already exists (edit it, or pick another title)\n"
    built = run(bin_dir, "build", cwd=station)
    assert built.returncode == 0, built.stderr
    assert (station / "site/shows/night-owls-two/index.html").is_file()


def test_new_show_in_an_empty_folder(tmp_path, bin_dir):
    result = run(bin_dir, "new", "show", "Night Owls", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "Content/shows/night-owls.md").read_text().startswith('---\ntitle: "Night Owls"\n')


def test_empty_content_folder(tmp_path, bin_dir, repo_root):
    (tmp_path / "Content").mkdir()
    result = run(bin_dir, "check", "--templates", str(repo_root / "Templates"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "Content: error: the content folder is empty (it needs station.yaml, schedule.md and shows/; see docs/CONTENT.md)")


def test_watch_rebuilds_on_change_and_survives_errors(station, bin_dir, processes, tmp_path):
    watcher = processes([str(bin_dir / "onair"), "build", "--watch"], tmp_path / "watch.log", cwd=station)
    page = station / "site/shows/kiezbeats/index.html"
    wait_until(lambda: page.is_file() and "Watching" in watcher.output(), 20, what="first build")
    show = station / "Content/shows/kiezbeats.md"
    show.write_text(show.read_text().replace("title: Kiezbeats", "title: Kiezbeats Deluxe"))
    wait_until(lambda: "Kiezbeats Deluxe" in page.read_text(), 20, what="rebuild after a change")
    show.write_text("broken\n")
    wait_until(lambda: "Content/shows/kiezbeats.md:1: error: missing front matter" in watcher.output(), 20, what="error")
    assert watcher.alive()
    assert "Kiezbeats Deluxe" in page.read_text()  # the failed rebuild left the site alone


def test_build_into_the_checkout_is_refused_and_deletes_nothing(station, bin_dir):
    """`onair build --output .` once deleted a whole station checkout; now it refuses, touching nothing."""
    (station / "README.md").write_text("# our station\n")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in station.rglob("*") if p.is_file()}
    for output, message in ((".", "a folder that holds the content folder"), ("Content", "the content folder"),
                            ("Templates/assets", "the templates folder")):
        result = run(bin_dir, "build", "--output", output, cwd=station)
        assert result.returncode == 1
        lines = result.stderr.splitlines()
        assert lines[0].startswith(f"{(station / output).resolve()}: error: refusing to build into {message}"), lines
        assert lines[1:] == ["1 error; site not changed"]
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in station.rglob("*") if p.is_file()} == before
    # A folder of someone else's files is refused too; an onair site keeps hand-placed files.
    (station / "elsewhere").mkdir()
    (station / "elsewhere" / "notes.txt").write_text("mine")
    refused = run(bin_dir, "build", "--output", "elsewhere", cwd=station)
    assert refused.returncode == 1 and "refusing to build into a folder that onair did not build" in refused.stderr
    assert (station / "elsewhere" / "notes.txt").read_text() == "mine"
    assert run(bin_dir, "build", cwd=station).returncode == 0
    (station / "site" / "google1234.html").write_text("google-site-verification: google1234.html")
    assert run(bin_dir, "build", cwd=station).returncode == 0
    assert (station / "site" / "google1234.html").is_file()
