"""DJ accounts on the DJ mount (issue #13): Icecast 2.4.4 asks onair-api whether a source client
may stream on /dj (`<authentication type="url">` with `stream_auth`); a staff account's name and
password open it, anything else is refused by Icecast, and onaird puts the DJ on the air."""
import http.client
import sqlite3
import time
import urllib.parse

from helpers.api import PASSWORDS, OnAirAPI
from helpers.icecast import Icecast
from helpers.processes import wait_until

DJ_MOUNT_WITH_URL_AUTH = """  <mount type="normal">
    <mount-name>/dj</mount-name>
    <hidden>1</hidden>
    <authentication type="url">
      <option name="stream_auth" value="{url}/api/icecast/stream-auth"/>
    </authentication>
  </mount>
"""


def send_as_dj(processes, icecast, tmp_path, user, password, log, seconds=8):
    return processes(["ffmpeg", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i",
                      "sine=frequency=880:sample_rate=48000", "-t", str(seconds), "-ac", "2", "-c:a", "libopus",
                      "-b:a", "96k", "-ice_name", "Stream Name", "-content_type", "application/ogg", "-f", "ogg",
                      f"icecast://{user}:{password}@127.0.0.1:{icecast.port}/dj"], tmp_path / log)


def ask(api, fields, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", api.port, timeout=10)
    try:
        connection.request("POST", "/api/icecast/stream-auth", body=urllib.parse.urlencode(fields),
                           headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})
        response = connection.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()


def accounts_station(bin_dir, onaird_factory, processes, tmp_path, **daemon_config):
    """Icecast whose /dj asks onair-api, onaird (`daemon_config` added), onair-api with account dj1.
    Icecast is not started: the caller starts it inside its try/finally."""
    icecast = Icecast(tmp_path / "icecast")
    daemon = onaird_factory(icecast, **{"live": {"mount": "/dj", "stall_after": 3}, **daemon_config})
    api = OnAirAPI(bin_dir, tmp_path / "api", processes, daemon.site, daemon.socket, "http://127.0.0.1").start()
    assert api.user("add", "dj1", "--role", "dj", password=PASSWORDS["dj1"]).returncode == 0
    config = icecast.config_path.read_text()
    start = config.index('  <mount type="normal">\n    <mount-name>/dj</mount-name>')
    end = config.index("</mount>\n", start) + len("</mount>\n")
    icecast.config_path.write_text(config[:start] + DJ_MOUNT_WITH_URL_AUTH.format(url=api.url) + config[end:])
    return icecast, daemon, api


def audit(api, action):
    with sqlite3.connect(f"file:{api.data_dir / 'onair-api.sqlite'}?mode=ro", uri=True) as database:
        return database.execute("SELECT actor, action, detail FROM audit_log WHERE action = ?", (action,)).fetchall()


def test_icecast_asks_onair_api_and_only_staff_accounts_may_stream(bin_dir, onaird_factory, processes, tmp_path):
    icecast, daemon, api = accounts_station(bin_dir, onaird_factory, processes, tmp_path)
    icecast.start()
    try:
        daemon.start()
        icecast.wait_for_source("/radio.ogg")
        # Refused: a wrong password, an unknown account, the mount's old password, the source password.
        for user, password in (("dj1", "wrong"), ("nobody", PASSWORDS["dj1"]), ("source", icecast.dj_password),
                               ("source", icecast.password)):
            refused = send_as_dj(processes, icecast, tmp_path, user, password, f"refused-{user}-{len(password)}.log")
            assert refused.proc.wait(timeout=20) != 0, user
        assert not daemon.nowplaying()["live"]["is_live"]
        # Allowed: the DJ's account.
        send_as_dj(processes, icecast, tmp_path, "dj1", PASSWORDS["dj1"], "dj1.log")
        # The account names the DJ on the page, not the stream's name.
        document = daemon.wait_nowplaying(lambda d: d["live"]["is_live"], 10, what="dj1 on the air")
        assert document["live"]["streamer"] == "dj1", document["live"]
        log = api.log()
        assert "DJ may stream" in log and "dj1" in log
        assert log.count("DJ login refused") >= 3
        assert PASSWORDS["dj1"] not in log and "wrong" not in log
        # Only Icecast on this machine may ask; not through nginx (X-Real-IP), not a GET.
        status, headers = ask(api, {"action": "stream_auth", "mount": "/dj", "ip": "10.0.0.9", "user": "dj1",
                                    "pass": PASSWORDS["dj1"]}, headers={"X-Real-IP": "203.0.113.9"})
        assert status == 404 and "icecast-auth-user" not in headers
        status, headers = ask(api, {"action": "stream_auth", "mount": "/dj", "ip": "10.0.0.9", "user": "dj1",
                                    "pass": PASSWORDS["dj1"]})
        assert status == 200 and headers.get("icecast-auth-user") == "1"
        # The same rate limit as sign-in: the 6th wrong try for an account from one address is refused
        # even with the right password.
        for _ in range(5):
            ask(api, {"action": "stream_auth", "mount": "/dj", "ip": "10.0.0.7", "user": "dj1", "pass": "nope"})
        status, headers = ask(api, {"action": "stream_auth", "mount": "/dj", "ip": "10.0.0.7", "user": "dj1",
                                    "pass": PASSWORDS["dj1"]})
        assert status == 200 and "icecast-auth-user" not in headers
        rows = audit(api, "dj-connect")
        assert rows[0][:2] == ("dj1", "dj-connect") and rows[0][2].startswith("on /dj from "), rows
        # A removed account cannot connect any more: onair-api says no, and Icecast refuses the DJ.
        daemon.wait_nowplaying(lambda d: not d["live"]["is_live"], 30, what="dj1's stream over")
        removed = api.user("remove", "dj1")
        assert removed.returncode == 0, removed.stderr
        status, headers = ask(api, {"action": "stream_auth", "mount": "/dj", "ip": "10.0.0.8", "user": "dj1",
                                    "pass": PASSWORDS["dj1"]})
        assert status == 200 and "icecast-auth-user" not in headers
        again = send_as_dj(processes, icecast, tmp_path, "dj1", PASSWORDS["dj1"], "removed-dj1.log")
        assert again.proc.wait(timeout=20) != 0
        time.sleep(2)
        assert not daemon.nowplaying()["live"]["is_live"]
    finally:
        icecast.cleanup()


def test_an_account_taken_off_the_air_is_cut_off_and_refused_by_icecast_until_the_hold_ends(
        bin_dir, onaird_factory, processes, tmp_path):
    """`onair end-live` with Icecast's admin login: the DJ's connection is ended (their ffmpeg sees
    it), their account is refused for `live.end_hold` seconds (Icecast says no to the DJ, onair-api
    logs and audits why), and then they may stream again."""
    icecast, daemon, api = accounts_station(
        bin_dir, onaird_factory, processes, tmp_path, live={"mount": "/dj", "stall_after": 3, "end_hold": 8},
        icecast={"admin_password_file": "./admin.password"})
    (daemon.folder / "admin.password").write_text(icecast.admin_password + "\n")
    icecast.start()
    try:
        daemon.start()
        icecast.wait_for_source("/radio.ogg")
        first = send_as_dj(processes, icecast, tmp_path, "dj1", PASSWORDS["dj1"], "dj1.log", seconds=60)
        daemon.wait_nowplaying(lambda d: d["live"]["is_live"] and d["live"]["streamer"] == "dj1", 10, what="dj1 on the air")
        ended = daemon.onair("end-live")
        ended_at = time.monotonic()
        assert ended.returncode == 0 and "their connection was ended; they may not come back for 8 s" in ended.stdout, ended
        assert first.proc.wait(timeout=15) != 0  # ffmpeg lost its connection to Icecast
        daemon.wait_nowplaying(lambda d: not d["live"]["is_live"], 3, what="the programme back")
        # Back at once: Icecast refuses the account (onair-api asked onaird), with a line and an audit entry.
        again = send_as_dj(processes, icecast, tmp_path, "dj1", PASSWORDS["dj1"], "dj1-again.log", seconds=60)
        assert again.proc.wait(timeout=15) != 0
        assert time.monotonic() - ended_at < 8
        assert "DJ login refused: 'dj1' was taken off the air by an admin and may stream again after" in api.log()
        assert audit(api, "dj-refused")[0][:2] == ("dj1", "dj-refused")
        assert not daemon.nowplaying()["live"]["is_live"]
        assert "the DJ was taken off the air by the operator (onair end-live)" in daemon.onair("status").stdout
        # After the hold: on the air again.
        time.sleep(max(0.0, 8.5 - (time.monotonic() - ended_at)))
        send_as_dj(processes, icecast, tmp_path, "dj1", PASSWORDS["dj1"], "dj1-later.log", seconds=30)
        daemon.wait_nowplaying(lambda d: d["live"]["is_live"] and d["live"]["streamer"] == "dj1", 10, what="dj1 back")
        assert icecast.admin_password not in daemon.log() + api.log()
    finally:
        icecast.cleanup()
