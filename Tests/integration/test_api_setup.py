"""onair-api's setup side: accounts through `onair user` (passwords on stdin, exact errors) and a
static deploy without the service (chat hidden, the player keeps polling, the studio says why)."""
import json
import time

from helpers.api import ApiNginx, nowplaying_document
from helpers.nginx import build_site, request
from helpers.processes import wait_until


def test_onair_user_reads_the_password_from_stdin_and_manages_accounts(api_stack):
    api = api_stack.api
    added = api.user("add", "night.owl", "--role", "dj", password="owl-password-9")
    assert added.returncode == 0 and added.stdout == "added night.owl (dj)\n"
    again = api.user("add", "night.owl", "--role", "dj", password="owl-password-9")
    assert again.returncode == 1
    assert again.stderr == "onair-api: user 'night.owl' already exists (change the password with: onair user passwd night.owl)\n"
    short = api.user("add", "x", "--role", "dj", password="short")
    assert (short.returncode, short.stderr) == (1, "onair-api: passwords need at least 8 characters\n")
    role = api.user("add", "x", "--role", "boss", password="long-enough-1")
    assert role.returncode != 0 and "--role must be admin or dj, not 'boss'" in role.stderr
    empty = api.user("add", "y", "--role", "dj")
    assert empty.returncode == 1 and "no password on stdin" in empty.stderr
    listed = api.user("list")
    assert [line.split("\t")[:2] for line in listed.stdout.splitlines()] == [["ada", "admin"], ["dj1", "dj"], ["night.owl", "dj"]]
    assert api.user("passwd", "night.owl", password="new-password-2").returncode == 0
    assert api_stack.call("POST", "/api/session", {"username": "night.owl", "password": "new-password-2"})[0] == 200
    assert api.user("remove", "night.owl").stdout == "removed night.owl\n"
    gone = api.user("remove", "night.owl")
    assert (gone.returncode, gone.stderr) == (1, "onair-api: there is no user 'night.owl' (see: onair user list)\n")


def test_static_deploy_without_the_service_hides_the_chat_and_keeps_polling(tmp_path, bin_dir, repo_root, browser):
    site = build_site(bin_dir, repo_root, tmp_path / "site", "http://127.0.0.1")
    (site / "nowplaying.json").write_text(json.dumps(nowplaying_document("Static Song", interval=2)))
    server = ApiNginx(bin_dir, tmp_path / "nginx", site).start()
    try:
        browser.get(server.url)
        wait_until(lambda: browser.text("np-title") == "Static Song", 10, interval=0.1, what="the polled title")
        time.sleep(1)
        assert not browser.visible("chat")
        assert request(server.url + "api/me")[0] == 404
        browser.get(server.url + "studio/")
        wait_until(lambda: browser.visible("studio-absent"), 10, interval=0.1, what="the studio's note")
        assert not browser.visible("signin-form")
        assert browser.csp_violations() == []
    finally:
        server.stop()
