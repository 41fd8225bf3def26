"""deploy/hooks/ examples against a local HTTP server standing in for Mastodon and a chat webhook."""
import http.server
import json
import os
import subprocess
import threading
import urllib.parse


class Recorder(http.server.BaseHTTPRequestHandler):
    requests = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Recorder.requests.append((self.path, dict(self.headers), body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def serve():
    Recorder.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_hook(repo_root, name, event, env):
    return subprocess.run([str(repo_root / "deploy" / "hooks" / name)], input=json.dumps(event), text=True,
                          capture_output=True, timeout=20, env=dict(os.environ, **env))


def test_mastodon_title_hook_posts_the_title_as_data(repo_root):
    server = serve()
    try:
        event = {"event": "title", "at": "2026-12-04T10:00:00Z", "text": "Band - $(touch /tmp/x) & Song",
                 "artist": "Band", "title": "Song", "show": "jazz"}
        result = run_hook(repo_root, "mastodon-title", event,
                          {"MASTODON_URL": f"http://127.0.0.1:{server.server_port}/", "MASTODON_TOKEN": "t0ken"})
        assert result.returncode == 0, result.stderr
        path, headers, body = Recorder.requests[0]
        assert path == "/api/v1/statuses"
        assert headers["Authorization"] == "Bearer t0ken"
        form = urllib.parse.parse_qs(body.decode())
        assert form["status"] == ["Now on air: Band - $(touch /tmp/x) & Song (jazz)"]
    finally:
        server.shutdown()


def test_chat_alarm_hook_posts_the_reason_and_fails_without_its_url(repo_root):
    server = serve()
    try:
        event = {"event": "alarm", "at": "2026-12-04T10:00:00Z", "reason": "silence", "detail": "rotation/x.wav was silent"}
        result = run_hook(repo_root, "chat-alarm", event, {"CHAT_WEBHOOK_URL": f"http://127.0.0.1:{server.server_port}/hook"})
        assert result.returncode == 0, result.stderr
        path, _, body = Recorder.requests[0]
        assert path == "/hook"
        assert json.loads(body) == {"text": "onaird alarm (silence) at 2026-12-04T10:00:00Z: rotation/x.wav was silent"}
        missing = run_hook(repo_root, "chat-alarm", event, {"CHAT_WEBHOOK_URL": ""})
        assert missing.returncode != 0 and "CHAT_WEBHOOK_URL" in missing.stderr
    finally:
        server.shutdown()
