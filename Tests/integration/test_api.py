"""onair-api for real: the built service behind the nginx config `onair nginx-config --api` writes,
over the example site, with headless Chromium as DJs and listeners (and a real Icecast + onaird
where the studio drives the daemon). What is asserted is what people see: page text, JSON
answers, cookies, and the database after a restart."""
import json
import socket
import sqlite3
import time

import pytest

from helpers.api import PASSWORDS, ApiNginx, ApiStack, nowplaying_document
from helpers.browser import By
from helpers.nginx import build_site, free_port, request
from helpers.processes import wait_until

SCRIPT_NICK = "<i>Owl</i><script>"  # 18 characters: within the 24-character limit
SCRIPT_TEXT = "<img src=x onerror=alert(1)><script>alert(2)</script> hi"


def chat_texts(browser):
    return browser.js("return Array.from(document.querySelectorAll('#chat-messages .chat-message'))"
                      ".map(function (li) { return li.querySelector('.chat-nick').textContent + ': ' +"
                      " li.querySelector('.chat-text-body').textContent; });")


def open_player(browser, url):
    browser.get(url)
    wait_until(lambda: browser.visible("chat"), 15, interval=0.1, what="the chat panel to appear")
    wait_until(lambda: browser.text("chat-connection") == "Live", 15, interval=0.1, what="the event stream to open")


def post_in_page(browser, nickname, text):
    nick = browser.driver.find_element(By.ID, "chat-nickname")
    nick.clear()
    nick.send_keys(nickname)
    box = browser.driver.find_element(By.ID, "chat-text")
    box.send_keys(text + "\n")  # Enter sends


def sign_in_page(browser, url, name, password):
    browser.get(url + "studio/")
    wait_until(lambda: browser.visible("signin-form"), 15, interval=0.1, what="the sign-in form")
    browser.driver.find_element(By.ID, "signin-username").send_keys(name)
    browser.driver.find_element(By.ID, "signin-password").send_keys(password + "\n")


# ---------------------------------------------------------------------------------------------
# Studio with the real daemon

@pytest.fixture
def station(tmp_path, bin_dir, repo_root, icecast, processes):
    """Icecast + onaird (tone, nowplaying every 5 s) + onair-api + nginx, one site."""
    site = build_site(bin_dir, repo_root, tmp_path / "site", "http://127.0.0.1", api=True)
    password = tmp_path / "source.password"
    password.write_text(icecast.password + "\n")
    password.chmod(0o600)
    control = tmp_path / "onaird.sock"
    config = tmp_path / "onaird.yaml"
    config.write_text(f"""site: {site}
interval: 5
control_socket: {control}
station_name: Radio Example
icecast: {{ url: "{icecast.url}", user: source, password_file: "{password}", listener_mount: /radio.ogg }}
outputs:
  - {{ mount: /radio.ogg, format: vorbis, quality: 2 }}
audio: {{ sample_rate: 44100, channels: 2 }}
source: {{ kind: tone, frequency: 440 }}
""")
    processes([str(bin_dir / "onaird"), "--config", str(config)], tmp_path / "onaird.log")
    wait_until(lambda: control.exists(), 20, what="onaird's control socket")
    wait_until(lambda: json.loads((site / "nowplaying.json").read_text()).get("online") is True, 30, interval=0.3,
               what="nowplaying.json to say online")
    stack = ApiStack(tmp_path, bin_dir, repo_root, processes, control_socket=control, site=site, icecast_url=icecast.url)
    yield stack
    stack.nginx.stop()


def test_dj_signs_in_sets_the_title_and_a_listener_sees_it_within_a_second(station, browsers):
    dj, listener = browsers(), browsers()
    sign_in_page(dj, station.url, "dj1", "not-the-password")
    wait_until(lambda: dj.text("signin-status") == "wrong username or password", 10, interval=0.1,
               what="the sign-in refusal")
    assert not dj.visible("studio-desk")
    dj.driver.find_element(By.ID, "signin-password").clear()
    dj.driver.find_element(By.ID, "signin-password").send_keys(PASSWORDS["dj1"] + "\n")
    wait_until(lambda: dj.visible("studio-desk"), 10, interval=0.1, what="the studio after sign-in")
    assert dj.text("studio-user") == "dj1"
    assert not dj.visible("admin-box")  # DJs do not manage users
    wait_until(lambda: dj.text("source-mount") == "/dj", 10, interval=0.2, what="source client settings")
    assert dj.text("source-user") == "source" and dj.text("source-format") == "vorbis"
    assert "password" not in dj.text("source-settings").lower()
    wait_until(lambda: dj.text("studio-source").startswith("tone"), 10, interval=0.2, what="onaird's status")
    assert dj.text("studio-live-input") == "–"  # this onaird takes no DJ input (no live:)
    assert not dj.visible("end-live-button")  # only admins, and only while a DJ from the live mount is on

    open_player(listener, station.url)
    title = f"Test Artist - Pushed {int(time.time())}"
    field = dj.driver.find_element(By.ID, "title-input")
    field.send_keys(title)
    started = time.monotonic()
    dj.driver.find_element(By.ID, "title-button").click()
    wait_until(lambda: listener.text("np-title") == title.split(" - ")[1], 5, interval=0.05,
               what="the listener's page to show the DJ's title")
    elapsed = time.monotonic() - started
    print(f"DJ title reached the listener's page in {elapsed:.2f} s")
    assert elapsed < 1.0, f"the title took {elapsed:.2f} s to reach the listener (nowplaying is polled every 5 s)"
    assert listener.text("np-artist") == "Test Artist"
    # Skip goes to onaird too; a tone has nothing to skip, and the DJ reads why.
    dj.driver.find_element(By.ID, "skip-button").click()
    wait_until(lambda: dj.text("action-status").startswith("onaird refused to skip: nothing to skip: the source is tone"),
               10, interval=0.1, what="onaird's refusal in the studio")
    assert listener.csp_violations() == [] and dj.csp_violations() == []

    with sqlite3.connect(station.api.data_dir / "onair-api.sqlite") as db:
        rows = db.execute("SELECT actor, action, detail FROM audit_log ORDER BY id").fetchall()
    assert ("dj1", "title", title) in rows
    assert ("dj1", "sign-in", "from 127.0.0.1") in rows


# ---------------------------------------------------------------------------------------------
# Listener chat

def test_two_listeners_chat_a_deleted_message_disappears_and_markup_stays_text(api_stack, browsers):
    one, two, dj = browsers(), browsers(), browsers()
    open_player(one, api_stack.url)
    open_player(two, api_stack.url)
    post_in_page(one, SCRIPT_NICK, SCRIPT_TEXT)
    expected = f"{SCRIPT_NICK}: {SCRIPT_TEXT}"
    wait_until(lambda: expected in chat_texts(two), 5, interval=0.1, what="listener two to see listener one's message")
    post_in_page(two, "Two", "hello back")
    wait_until(lambda: "Two: hello back" in chat_texts(one), 5, interval=0.1, what="listener one to see the reply")
    for browser in (one, two):
        assert browser.alerts() == []
        assert browser.js("return document.querySelectorAll('#chat-messages img, #chat-messages script').length;") == 0
        assert browser.csp_violations() == []
    # The nickname is kept for the next visit.
    assert one.js("return localStorage.getItem('onair.chat.nickname');") == SCRIPT_NICK

    sign_in_page(dj, api_stack.url, "dj1", PASSWORDS["dj1"])
    wait_until(lambda: dj.visible("studio-desk"), 10, interval=0.1, what="the studio")
    # Listeners now and peak come from the pushed now-playing document.
    wait_until(lambda: dj.text("studio-listeners") == "3 now · peak 7", 10, interval=0.1, what="listener counts")
    assert dj.text("studio-daemon") == ("the streaming daemon does not answer; the operator should check onaird "
                                        "(systemctl status onaird)")
    wait_until(lambda: dj.js("return document.querySelectorAll('#chat-messages button[data-action=delete]').length;") == 2,
               10, interval=0.1, what="moderation buttons in the studio's chat")
    dj.js("document.querySelector('#chat-messages .chat-message button[data-action=delete]').click();")
    for browser in (one, two, dj):
        wait_until(lambda b=browser: expected not in chat_texts(b), 5, interval=0.1, what="the deleted message to disappear")
        assert "Two: hello back" in chat_texts(browser)
    # A staff name is reserved for listeners.
    status, _, body = api_stack.call("POST", "/api/chat", {"nickname": "DJ1", "text": "fake"})
    assert (status, body["code"]) == (409, "nickname_reserved")


def test_the_sixth_message_inside_the_rate_window_is_refused_with_a_clear_message(api_stack, browsers):
    # The page first: a browser can take longer to start than the bucket takes to refill (2 s).
    page = browsers()
    open_player(page, api_stack.url)
    answers = [api_stack.call("POST", "/api/chat", {"nickname": "fast", "text": f"message {i}"}) for i in range(6)]
    assert [status for status, _, _ in answers] == [201] * 5 + [429]
    status, headers, body = answers[5]
    assert body["code"] == "rate_limited"
    assert body["error"].startswith("you are sending messages too fast; wait ")
    assert int(headers["retry-after"]) >= 1
    # The page says so too (same client address, the bucket is still empty).
    post_in_page(page, "fast", "one more")
    wait_until(lambda: page.text("chat-status").startswith("you are sending messages too fast"), 5, interval=0.1,
               what="the rate-limit message in the page")


@pytest.mark.parametrize("raw,code,message", [
    (json.dumps({"nickname": "a", "text": "x" * 501}).encode(), "text_too_long", "messages are at most 500 characters (this one has 501)"),
    (json.dumps({"nickname": "a", "text": "bell\u0007"}).encode(), "control_characters", "messages are one line of text without control characters"),
    (json.dumps({"nickname": "a", "text": "two\nlines"}).encode(), "control_characters", "messages are one line of text without control characters"),
    (json.dumps({"nickname": "a", "text": "   "}).encode(), "empty_text", "write something first"),
    (json.dumps({"nickname": "x" * 25, "text": "hi"}).encode(), "nickname_too_long", "nicknames are at most 24 characters (64 bytes)"),
    (b'{"nickname": "a", "text": "bad \xff byte"}', "invalid_utf8", "the request body is not valid UTF-8"),
    (b'{"nickname": "a"', "invalid_json", 'the request body must be JSON like {"nickname": "owl", "text": "hello"}'),
    (json.dumps({"nickname": "a", "text": "y" * 20000}).encode(), "body_too_large", "the request body is larger than 16 KB"),
], ids=["501-chars", "bell", "newline", "blank", "long-nick", "bad-utf8", "truncated-json", "20k-body"])
def test_bad_chat_input_gets_a_clear_json_error_and_stores_nothing(api_stack, raw, code, message):
    status, headers, body = api_stack.call("POST", "/api/chat", raw=raw)
    assert body == {"error": message, "code": code}
    assert status in (400, 413)
    assert headers["content-type"].startswith("application/json")
    status, _, listing = api_stack.call("GET", "/api/chat")
    assert status == 200 and listing["messages"] == []


# ---------------------------------------------------------------------------------------------
# Sessions, CSRF, errors

def test_sessions_cookies_origin_and_roles(api_stack):
    call = api_stack.call
    # Without a session, studio actions are refused.
    status, _, body = call("POST", "/api/studio/title", {"title": "A - B"})
    assert (status, body) == (401, {"error": "sign in first (POST /api/session)", "code": "sign_in_required"})
    # Unknown user and wrong password get the same answer.
    wrong = call("POST", "/api/session", {"username": "dj1", "password": "nope-nope"})
    unknown = call("POST", "/api/session", {"username": "nobody", "password": "nope-nope"})
    assert wrong[0] == unknown[0] == 401 and wrong[2] == unknown[2] == {"error": "wrong username or password", "code": "bad_credentials"}

    status, headers, body = call("POST", "/api/session", {"username": "dj1", "password": PASSWORDS["dj1"]})
    assert status == 200 and body["user"]["name"] == "dj1" and body["user"]["role"] == "dj"
    cookie_line = headers["set-cookie"]
    attributes = [part.strip() for part in cookie_line.split(";")]
    assert {"HttpOnly", "SameSite=Strict", "Path=/api"} <= set(attributes) and "Secure" not in attributes
    first = cookie_line.split(";")[0]
    assert len(first.split("=", 1)[1]) == 43  # 256 bits, base64url
    assert PASSWORDS["dj1"] not in api_stack.api.log() and first.split("=", 1)[1] not in api_stack.api.log()

    # A cross-site POST with a valid session is refused, and so is one without Origin.
    status, _, body = call("POST", "/api/studio/skip", cookie=first, origin="http://evil.example")
    assert (status, body["code"]) == (403, "bad_origin")
    status, _, body = call("POST", "/api/chat", {"nickname": "x", "text": "y"}, origin=None)
    assert (status, body["code"]) == (403, "bad_origin")
    # onaird is not running here: a clear 503.
    status, _, body = call("POST", "/api/studio/skip", cookie=first)
    assert (status, body["code"]) == (503, "onaird_unavailable")
    # DJs are not admins.
    status, _, body = call("GET", "/api/users", cookie=first)
    assert (status, body["code"]) == (403, "forbidden")

    # Signing in again rotates the session: the old cookie no longer works.
    status, headers, _ = call("POST", "/api/session", {"username": "dj1", "password": PASSWORDS["dj1"]}, cookie=first)
    second = headers["set-cookie"].split(";")[0]
    assert second != first
    assert call("GET", "/api/me", cookie=first)[2]["user"] is None
    assert call("GET", "/api/me", cookie=second)[2]["user"]["name"] == "dj1"
    # nginx sets X-Forwarded-Proto itself: a client cannot make the cookie Secure-less or Secure.
    status, headers, _ = call("POST", "/api/session", {"username": "ada", "password": PASSWORDS["ada"]},
                              headers={"X-Forwarded-Proto": "https"})
    assert status == 200 and "Secure" not in headers["set-cookie"]
    # Sign out ends the session.
    status, headers, _ = call("DELETE", "/api/session", cookie=second)
    assert status == 200 and "Max-Age=0" in headers["set-cookie"]
    assert call("GET", "/api/me", cookie=second)[2]["user"] is None


def test_https_sign_in_sets_a_secure_cookie(api_stack):
    # nginx sets X-Forwarded-Proto from its own scheme; talk to the service directly as nginx would.
    import urllib.request
    req = urllib.request.Request(api_stack.api.url + "/api/session", method="POST",
                                 data=json.dumps({"username": "ada", "password": PASSWORDS["ada"]}).encode(),
                                 headers={"Origin": api_stack.origin, "X-Forwarded-Proto": "https",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as response:
        cookie = response.headers["Set-Cookie"]
    assert "; Secure" in cookie


@pytest.mark.parametrize("method,path,status,code", [
    ("GET", "/api/nope", 404, "not_found"),
    ("GET", "/api/chat/12/x", 404, "not_found"),
    ("PUT", "/api/chat", 404, "not_found"),  # a method a route does not take is an unknown route
])
def test_unknown_routes_answer_json_without_internals(api_stack, method, path, status, code):
    got, headers, body = api_stack.call(method, path)
    assert got == status and body["code"] == code and set(body) == {"error", "code"}
    assert headers["content-type"].startswith("application/json")


def test_admin_manages_users_and_everything_is_in_the_audit_log(api_stack):
    admin = api_stack.sign_in("ada")
    status, _, body = api_stack.call("POST", "/api/users", {"username": "newdj", "password": "short", "role": "dj"}, cookie=admin)
    assert (status, body["error"]) == (400, "passwords need at least 8 characters")
    status, _, body = api_stack.call("POST", "/api/users", {"username": "newdj", "password": "long-enough-1", "role": "dj"}, cookie=admin)
    assert status == 201 and body["name"] == "newdj"
    assert api_stack.call("POST", "/api/session", {"username": "newdj", "password": "long-enough-1"})[0] == 200
    status, _, body = api_stack.call("DELETE", "/api/users/ada", cookie=admin)
    assert (status, body["code"]) == (409, "cannot_remove_self")
    assert api_stack.call("DELETE", "/api/users/newdj", cookie=admin)[0] == 200
    status, _, body = api_stack.call("GET", "/api/audit", cookie=admin)
    actions = [(e["actor"], e["action"], e["detail"]) for e in body["entries"]]
    assert ("ada", "user-add", "newdj (dj)") in actions and ("ada", "user-remove", "newdj") in actions
    assert ("operator", "user-add", "dj1 (dj)") in actions


# ---------------------------------------------------------------------------------------------
# Event stream and restarts

def read_events(sock, until, timeout=5):
    """Reads SSE text from a raw socket until `until(text)` is true; returns the text."""
    sock.settimeout(0.5)
    data = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            break
        data += chunk
        if until(data.decode("utf-8", "replace")):
            return data.decode("utf-8", "replace")
    pytest.fail(f"event stream did not deliver in {timeout}s; got:\n{data.decode('utf-8', 'replace')}")


def open_stream(port, last_event_id=None):
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    extra = f"Last-Event-ID: {last_event_id}\r\n" if last_event_id is not None else ""
    sock.sendall(f"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n{extra}\r\n".encode())
    return sock


def test_event_stream_through_nginx_is_unbuffered_and_resumes_with_last_event_id(api_stack):
    first = api_stack.call("POST", "/api/chat", {"nickname": "a", "text": "before"})[2]
    sock = open_stream(api_stack.port)
    try:
        text = read_events(sock, lambda t: "event: nowplaying" in t and '"text":"before"' in t)
        assert "text/event-stream" in text.split("\r\n\r\n")[0]
        started = time.monotonic()
        api_stack.call("POST", "/api/chat", {"nickname": "b", "text": "live one"})
        read_events(sock, lambda t: '"text":"live one"' in t, timeout=2)
        assert time.monotonic() - started < 1.0
        api_stack.nowplaying.title = "Changed Title"
        api_stack.nowplaying.write()
        read_events(sock, lambda t: "Changed Title" in t, timeout=2)
    finally:
        sock.close()
    # Resume after the first message's event: only what came later.
    status, _, listing = api_stack.call("GET", "/api/chat")
    first_event = 1
    sock = open_stream(api_stack.port, last_event_id=first_event)
    try:
        text = read_events(sock, lambda t: '"text":"live one"' in t)
        assert '"text":"before"' not in text
        assert f'id: {listing["last_event_id"]}' in text
    finally:
        sock.close()


def test_killing_and_restarting_the_service_loses_no_message_and_pages_reconnect(api_stack, browsers):
    one, two = browsers(), browsers()
    open_player(one, api_stack.url)
    open_player(two, api_stack.url)
    post_in_page(one, "One", "before the crash")
    wait_until(lambda: "One: before the crash" in chat_texts(two), 5, interval=0.1, what="the first message")
    api_stack.api.kill()
    wait_until(lambda: one.text("chat-connection") == "Reconnecting…", 10, interval=0.1, what="the page to notice")
    api_stack.api.start()
    # Posted as soon as the service is back, possibly before the pages have reconnected.
    assert api_stack.call("POST", "/api/chat", {"nickname": "Three", "text": "after the restart"})[0] == 201
    for browser in (one, two):
        wait_until(lambda b=browser: "Three: after the restart" in chat_texts(b), 20, interval=0.2,
                   what="the page to reconnect and show the new message")
        texts = chat_texts(browser)
        assert texts.count("One: before the crash") == 1  # no duplicate after the replay
    status, _, listing = api_stack.call("GET", "/api/chat")
    assert [m["text"] for m in listing["messages"]] == ["before the crash", "after the restart"]
    # Users and sessions survived too.
    assert api_stack.call("POST", "/api/session", {"username": "dj1", "password": PASSWORDS["dj1"]})[0] == 200


def test_mute_and_slow_mode_from_the_studio_routes(api_stack):
    dj = api_stack.sign_in("dj1")
    assert api_stack.call("POST", "/api/chat", {"nickname": "Spammer", "text": "buy now"})[0] == 201
    status, _, body = api_stack.call("POST", "/api/chat/mute", {"nickname": "spammer", "minutes": 10}, cookie=dj)
    assert (status, body["muted"]) == (200, "spammer")
    status, _, body = api_stack.call("POST", "/api/chat", {"nickname": "SPAMMER", "text": "again"},
                                     headers={"X-Real-IP": "203.0.113.9"})
    assert (status, body) == (403, {"error": "'SPAMMER' is muted for 10 more minutes", "code": "muted"})
    status, _, body = api_stack.call("POST", "/api/chat/mute", {"nickname": "x", "minutes": 0}, cookie=dj)
    assert (status, body["code"]) == (400, "bad_minutes")

    assert api_stack.call("POST", "/api/chat/slow", {"seconds": 30}, cookie=dj)[2] == {"slow_mode": 30}
    other = {"X-Real-IP": "203.0.113.10"}
    assert api_stack.call("POST", "/api/chat", {"nickname": "calm", "text": "one"}, headers=other)[0] == 201
    status, headers, body = api_stack.call("POST", "/api/chat", {"nickname": "calm", "text": "two"}, headers=other)
    assert (status, body["code"]) == (429, "slow_mode")
    assert body["error"].startswith("slow mode is on; wait ") and 28 <= int(headers["retry-after"]) <= 30
    assert api_stack.call("GET", "/api/me")[2]["chat"]["slow_mode"] == 30
    # Staff are not held back by slow mode.
    assert api_stack.call("POST", "/api/chat", {"nickname": "dj1", "text": "staff note"}, cookie=dj, headers=other)[0] == 201
    with sqlite3.connect(api_stack.api.data_dir / "onair-api.sqlite") as db:
        actions = db.execute("SELECT actor, action, detail FROM audit_log WHERE actor = 'dj1' ORDER BY id").fetchall()
    assert ("dj1", "chat-mute", "'spammer' for 10 min") in actions and ("dj1", "chat-slow-mode", "30 s") in actions


def test_x_real_ip_is_trusted_only_from_loopback_and_sql_stays_data(api_stack):
    # Through nginx, a client cannot choose its address: nginx overwrites X-Real-IP with the peer.
    for i in range(5):
        api_stack.call("POST", "/api/chat", {"nickname": "n", "text": f"m{i}"}, headers={"X-Real-IP": f"198.51.100.{i}"})
    status, _, body = api_stack.call("POST", "/api/chat", {"nickname": "n", "text": "m5"}, headers={"X-Real-IP": "198.51.100.99"})
    assert (status, body["code"]) == (429, "rate_limited")
    # Straight from loopback (as nginx connects), X-Real-IP names the client: a new bucket.
    import urllib.request
    tricky = "'); DROP TABLE chat_messages; --"
    req = urllib.request.Request(api_stack.api.url + "/api/chat", method="POST",
                                 data=json.dumps({"nickname": tricky[:24], "text": tricky}).encode(),
                                 headers={"Origin": api_stack.origin, "X-Real-IP": "10.9.9.9", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as response:
        assert response.status == 201
    status, _, listing = api_stack.call("GET", "/api/chat")
    assert status == 200 and [m["text"] for m in listing["messages"]] == [f"m{i}" for i in range(5)] + [tricky]
    with sqlite3.connect(api_stack.api.data_dir / "onair-api.sqlite") as db:
        clients = [row[0] for row in db.execute("SELECT client FROM chat_messages ORDER BY id")]
    assert clients == ["127.0.0.1"] * 5 + ["10.9.9.9"]
