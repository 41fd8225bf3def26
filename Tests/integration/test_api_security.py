"""The security review's fixes (docs/SECURITY.md) against the real onair-api behind the real nginx:
what an attacker and a listener see on the wire (event-stream bytes, JSON answers, the log, the
database). Requests marked `direct` go to onair-api from loopback, as nginx does, so `X-Real-IP`
names the client; through nginx every client is 127.0.0.1 (nginx overwrites the header)."""
import json
import re
import socket
import sqlite3
import time

import pytest

from helpers.api import PASSWORDS
from helpers.processes import wait_until
from test_api import chat_texts, open_player


def sse_events(raw):
    """Event-stream bytes parsed as the standard (and every browser) does: a line ends at CR LF, CR
    or LF and nowhere else. Each event: {"event", "id", "data": [its data lines]}."""
    events, current = [], {"data": []}
    for line in re.split(rb"\r\n|\r|\n", raw):
        if not line:
            if current["data"]:
                events.append(current)
            current = {"data": []}
            continue
        if line.startswith(b":"):
            continue
        name, _, value = line.partition(b":")
        value = value[1:] if value.startswith(b" ") else value
        if name == b"data":
            current["data"].append(value.decode("utf-8"))
        elif name in (b"event", b"id"):
            current[name.decode()] = value.decode("utf-8")
    return events


def read_stream(port, path, until, headers=None, timeout=8):
    """GET `path` as HTTP/1.0 through nginx (no chunking); reads until `until(events)` holds; returns (raw body, events)."""
    extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n{extra}\r\n".encode())
        sock.settimeout(0.3)
        data, deadline = b"", time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                chunk = None
            if chunk == b"":
                break
            data += chunk or b""
            head, _, body = data.partition(b"\r\n\r\n")
            if body and until(sse_events(body)):
                return body, sse_events(body)
        pytest.fail(f"the event stream did not deliver in {timeout} s; got:\n{data.decode('utf-8', 'replace')[-3000:]}")
    finally:
        sock.close()


def chat_events(events):
    return [e for e in events if e.get("event") in ("chat", "chat-delete")]


# ---------------------------------------------------------------------------------------------
# Chat history: deleted messages stay deleted; a resume reaches back a bounded way

def test_a_deleted_message_is_never_replayed_only_its_deletion(api_stack):
    call = api_stack.call
    kept = call("POST", "/api/chat", {"nickname": "owl", "text": "kept line"})[2]
    gone = call("POST", "/api/chat", {"nickname": "troll", "text": "SECRET-INSULT"})[2]
    dj = api_stack.sign_in("dj1")
    assert call("DELETE", f"/api/chat/{gone['id']}", cookie=dj)[0] == 200
    deletion = {"id": gone["id"]}
    for path, headers, chats in [("/api/events?last_event_id=0", None, [kept]),
                                 ("/api/events", {"Last-Event-ID": "0"}, [kept]),
                                 ("/api/events", {"Last-Event-ID": "1"}, []),
                                 ("/api/events?last_event_id=-5", None, [kept])]:
        raw, events = read_stream(api_stack.port, path, lambda ev: any(e.get("event") == "chat-delete" for e in ev), headers)
        assert b"SECRET-INSULT" not in raw and b"troll" not in raw, (path, headers)
        replay = [(e["event"], json.loads(e["data"][0])) for e in chat_events(events)]
        assert ("chat-delete", deletion) in replay
        assert [m for kind, m in replay if kind == "chat"] == chats, (path, headers)
    raw, _ = read_stream(api_stack.port, "/api/events", lambda ev: bool(chat_events(ev)))
    assert b"SECRET-INSULT" not in raw
    # An id from the future (another database, a forged header) still gets live events.
    future = api_stack.call("GET", "/api/chat")[2]["last_event_id"] + 10_000
    posted = []

    def later_message_arrives(events):
        if not posted and any(e.get("event") == "nowplaying" for e in events):
            posted.append(call("POST", "/api/chat", {"nickname": "owl", "text": "after a future id"})[0])
        return any("after a future id" in "".join(e["data"]) for e in chat_events(events))
    read_stream(api_stack.port, f"/api/events?last_event_id={future}", later_message_arrives)
    assert posted == [201]


def test_a_resume_reaches_back_500_events_at_most(api_stack):
    # 600 messages straight into the live database (WAL lets another process write beside the service).
    with sqlite3.connect(api_stack.api.data_dir / "onair-api.sqlite") as db:
        for i in range(600):
            message = db.execute("INSERT INTO chat_messages (nickname, text, staff, client, created_at) "
                                 "VALUES ('n', ?, 0, '192.0.2.1', ?)", (f"m{i}", time.time())).lastrowid
            db.execute("INSERT INTO chat_events (kind, message_id) VALUES ('chat', ?)", (message,))
    last = api_stack.call("GET", "/api/chat")[2]["last_event_id"]
    _, events = read_stream(api_stack.port, "/api/events?last_event_id=0",
                            lambda ev: any(e.get("id") == str(last) for e in ev))
    replay = chat_events(events)
    assert len(replay) == 500
    assert [json.loads(e["data"][0])["text"] for e in replay] == [f"m{i}" for i in range(100, 600)]


# ---------------------------------------------------------------------------------------------
# Framing: Unicode line separators stay inside one data line

def test_unicode_line_separators_reach_the_page_inside_one_data_line(api_stack, browsers):
    page = browsers()
    open_player(page, api_stack.url)
    text = "one\u2028two\u2029three"
    status, _, message = api_stack.call("POST", "/api/chat", {"nickname": "sep\u2028nick", "text": text})
    assert status == 201 and message["text"] == text
    # U+0085 is a C1 control character: refused in chat, like every control character.
    status, _, body = api_stack.call("POST", "/api/chat", {"nickname": "sep", "text": "nel\u0085line"})
    assert (status, body["code"]) == (400, "control_characters")
    title = "Line\u2028Sep\u2029Para\u0085Next"
    api_stack.nowplaying.title = title
    api_stack.nowplaying.write()

    def seen(events):
        return any(title in "".join(e["data"]) for e in events) and any(e.get("event") == "chat" for e in events)
    raw, events = read_stream(api_stack.port, "/api/events?last_event_id=0", seen)
    assert "\u2028".encode() in raw and "\u0085".encode() in raw  # sent raw, not escaped away
    chat = [e for e in events if e.get("event") == "chat"][-1]
    assert len(chat["data"]) == 1 and json.loads(chat["data"][0]) == message
    nowplaying = [e for e in events if e.get("event") == "nowplaying" and title in "".join(e["data"])][-1]
    assert any(title in line for line in nowplaying["data"])  # the title is never cut between lines
    assert json.loads("\n".join(nowplaying["data"]))["now_playing"]["title"] == title
    # And the browser's EventSource shows both.
    wait_until(lambda: f"sep\u2028nick: {text}" in chat_texts(page), 5, interval=0.1, what="the message in the page")
    wait_until(lambda: page.text("np-title") == title, 10, interval=0.1, what="the pushed title in the page")


# ---------------------------------------------------------------------------------------------
# Sign-in, staff names, streams: per client address (IPv6 by /64)

def sign_in(api_stack, name, password, address):
    status, _, body = api_stack.call("POST", "/api/session", {"username": name, "password": password},
                                     headers={"X-Real-IP": address}, direct=True)
    return status, body.get("code") if isinstance(body, dict) else None


def test_wrong_passwords_from_one_address_never_lock_the_owner_out_from_another(api_stack):
    for _ in range(5):
        assert sign_in(api_stack, "ada", "guess-guess", "198.51.100.66") == (401, "bad_credentials")
    assert sign_in(api_stack, "ada", PASSWORDS["ada"], "198.51.100.66") == (429, "rate_limited")
    assert sign_in(api_stack, "ada", PASSWORDS["ada"], "203.0.113.8") == (200, None)


def test_a_newline_in_a_user_name_never_reaches_the_log_raw(api_stack):
    assert sign_in(api_stack, "x\nfake signed in as ada\r\n", "guess-guess", "198.51.100.68")[0] == 401
    wait_until(lambda: "sign-in refused" in api_stack.api.log(), 5, interval=0.1, what="the refusal in the log")
    log = api_stack.api.log()
    assert not any(line.startswith("fake") for line in log.splitlines())
    assert "x\\u{a}fake signed in as ada" in log


def test_staff_names_cannot_be_listed_through_chat_posts(api_stack):
    def post(nickname, address):
        status, _, body = api_stack.call("POST", "/api/chat", {"nickname": nickname, "text": "hi"},
                                         headers={"X-Real-IP": address}, direct=True)
        return status, body.get("code")
    for name in ("dj1", "ada", "DJ1"):
        assert post(name, "198.51.100.70") == (409, "nickname_reserved")
    assert post("root", "198.51.100.70") == (429, "rate_limited")
    assert post("surely-nobody", "198.51.100.70") == (429, "rate_limited")
    assert post("owl", "198.51.100.71") == (201, None)
    assert post("dj1", "198.51.100.71") == (409, "nickname_reserved")


def test_ipv6_clients_are_counted_by_their_slash_64(api_stack):
    def post(address):
        return api_stack.call("POST", "/api/chat", {"nickname": "v6", "text": f"from {address}"},
                              headers={"X-Real-IP": address}, direct=True)[0]
    assert [post(f"2001:db8:aa:bb::{i}") for i in range(1, 6)] == [201] * 5
    assert post("2001:db8:aa:bb:ffff:ffff:ffff:ffff") == 429
    assert post("2001:db8:aa:bc::1") == 201


def open_direct_stream(api_stack, address):
    """(socket, status, JSON body or None): GET /api/events straight to onair-api as client `address`."""
    sock = socket.create_connection(("127.0.0.1", api_stack.api.port), timeout=5)
    sock.sendall(f"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Real-IP: {address}\r\n\r\n".encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if status == 200:
        return sock, status, None
    length = int(re.search(rb"(?im)^content-length: *(\d+)", head).group(1))
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            break
        body += chunk
    sock.close()
    return None, status, json.loads(body)


def test_one_address_holds_at_most_20_event_streams(api_stack, repo_root):
    unit = (repo_root / "deploy" / "onair-api.service").read_text()
    limit = re.search(r"^LimitNOFILE=(\d+)$", unit, re.M)
    assert limit and int(limit.group(1)) > 10_000, "onair-api.service must raise LimitNOFILE above the 10 000 streams"
    opened = []
    try:
        for _ in range(20):
            sock, status, _ = open_direct_stream(api_stack, "198.51.100.80")
            assert status == 200
            opened.append(sock)
        _, status, body = open_direct_stream(api_stack, "198.51.100.80")
        assert (status, body) == (429, {"code": "too_many_streams",
                                        "error": "this address has 20 event streams open already; close a tab and try again"})
        # Another address, and the same one through IPv4-mapped IPv6, are told apart correctly.
        assert open_direct_stream(api_stack, "::ffff:198.51.100.80")[1] == 429
        sock, status, _ = open_direct_stream(api_stack, "198.51.100.81")
        assert status == 200
        opened.append(sock)
        opened.pop(0).close()
        # The slot comes back once the service notices the closed connection (at its next write).
        ticks = iter(range(1, 200))

        def reopened():
            api_stack.call("POST", "/api/chat", {"nickname": "tick", "text": "t"},
                           headers={"X-Real-IP": f"192.0.2.{next(ticks)}"}, direct=True)
            sock, status, _ = open_direct_stream(api_stack, "198.51.100.80")
            if sock:
                opened.append(sock)
            return status == 200
        wait_until(reopened, 20, interval=0.5, what="a closed stream's slot to be given back")
    finally:
        for sock in opened:
            sock.close()


# ---------------------------------------------------------------------------------------------
# Cross-site requests: JSON only, Origin against Host (never X-Forwarded-Host)

@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_state_changes_without_a_json_content_type_get_415(api_stack, content_type):
    status, headers, body = api_stack.call("POST", "/api/chat", raw=b'{"nickname": "form", "text": "csrf"}',
                                           headers={"Content-Type": content_type})
    assert (status, body) == (415, {"error": "send the request as JSON (Content-Type: application/json)",
                                    "code": "unsupported_media_type"})
    assert headers["content-type"].startswith("application/json")
    assert api_stack.call("GET", "/api/chat")[2]["messages"] == []


def test_x_forwarded_host_does_not_make_a_foreign_origin_ours(api_stack):
    status, _, body = api_stack.call("POST", "/api/chat", {"nickname": "x", "text": "y"}, origin="http://evil.example",
                                     headers={"X-Forwarded-Host": "evil.example"})
    assert (status, body["code"]) == (403, "bad_origin")


# ---------------------------------------------------------------------------------------------
# Retention

def test_chat_keep_days_prunes_old_messages_at_start(api_stack):
    api_stack.call("POST", "/api/chat", {"nickname": "new", "text": "recent"})
    api = api_stack.api
    api.kill()
    with sqlite3.connect(api.data_dir / "onair-api.sqlite") as db:
        old = db.execute("INSERT INTO chat_messages (nickname, text, staff, client, created_at) "
                         "VALUES ('old', 'from last month', 0, '192.0.2.9', ?)", (time.time() - 3 * 86400,)).lastrowid
        db.execute("INSERT INTO chat_events (kind, message_id) VALUES ('chat', ?)", (old,))
    with open(api.config_path, "a") as config:
        config.write("chat:\n  keep_days: 2\n")
    api.start()

    def texts():
        with sqlite3.connect(api.data_dir / "onair-api.sqlite") as db:
            return [row[0] for row in db.execute("SELECT text FROM chat_messages ORDER BY id")]
    wait_until(lambda: texts() == ["recent"], 10, interval=0.2, what="the old message to be pruned")
    assert "old chat messages removed" in api.log()


# ---------------------------------------------------------------------------------------------
# Content/images: SVG stays allowed because nginx's CSP keeps a script in it from running

def test_an_svg_opened_directly_runs_no_script(api_stack, browsers):
    # What `onair build` would publish from Content/images/ (svg is an allowed type).
    (api_stack.site / "images" / "drawn.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/>'
        '<script>document.documentElement.setAttribute("data-ran", "yes")</script></svg>')
    page = browsers()
    page.get(api_stack.url + "images/drawn.svg")
    wait_until(lambda: page.js("return document.readyState;") == "complete", 5, interval=0.1, what="the SVG to load")
    time.sleep(0.3)
    assert page.js("return document.documentElement.getAttribute('data-ran');") is None
    assert any("script-src" in message for message in page.csp_violations())
