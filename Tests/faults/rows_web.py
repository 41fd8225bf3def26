"""Rows about what reaches a browser or a log: hostile text in every field that reaches a page
(0 executions, 0 CSP violations in Chromium), and passwords that must never show."""
import json
import shutil
import subprocess
import time

from common import (ROOT, Icecast, Result, RowFailed, onaird_config, onaird_env, start_onaird, token,
                    wait_for)
from helpers.browser import Browser
from helpers.nginx import Nginx

# Each sets window.__xss or calls alert() if it ever runs.
PAYLOADS = [
    '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
    '"><script>window.__xss=(window.__xss||0)+1</script>',
    "</title><svg onload=alert(3)>",
    "javascript:alert(4)",
    "'-alert(5)-'\";alert(5)//",
    "{{#x}}{{{title}}}<iframe srcdoc=\"<script>parent.alert(6)</script>\">",
    "<a href=\"javascript:alert(7)\">x</a> \u2028\u2029 <style>*{x:expression(alert(7))}</style>",
]
TRAP = "window.__xss = 0;"


def squeeze(text):
    """Text as compared on the page: onaird turns line and paragraph separators into spaces."""
    return " ".join(text.replace("\u2028", " ").replace("\u2029", " ").split())


def build(ctx, content, site):
    result = subprocess.run([str(ctx.bin_dir / "onair"), "build", "--content", str(content), "--templates",
                             str(ROOT / "Templates"), "--output", str(site), "--base-url", "http://127.0.0.1/",
                             "--api"],  # this station has onair-api: its pages carry the chat
                            capture_output=True, text=True, timeout=300, cwd=str(content.parent))
    if result.returncode != 0:
        raise RowFailed(f"onair build failed: {result.stdout[-500:]} {result.stderr[-1000:]}")


def hostile_content(folder):
    """The example station with payloads in a show's title, host and description (Night Owls), and
    as raw HTML in another show's text (Harbour Mix: the editor may write HTML in Markdown)."""
    content = folder / "Content"
    shutil.copytree(ROOT / "Content", content)
    show = content / "shows" / "night-owls.md"
    text = show.read_text()
    body = text.split("---", 2)[2]
    front = (f"---\ntitle: {json.dumps('Night Owls ' + PAYLOADS[0])}\nhost: {json.dumps(PAYLOADS[1])}\n"
             f"image: images/night-owls.svg\ndescription: {json.dumps(PAYLOADS[2] + PAYLOADS[4])}\n"
             "genres: [ambient]\n---\n")
    show.write_text(front + body)
    other = content / "shows" / "harbour-mix.md"
    other.write_text(other.read_text() + "\n\n" + "\n\n".join(PAYLOADS) + "\n")
    return content


def xss(ctx):
    work = ctx.folder("xss")
    content = hostile_content(work)
    site = work / "site"
    build(ctx, content, site)
    icecast = ctx.keep(Icecast(work / "icecast"))
    icecast.start()
    music = work / "music"
    music.mkdir()
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "sine=frequency=440:sample_rate=44100:duration=60", "-ac", "2", "-c:a", "libvorbis",
                    "-metadata", f"artist={PAYLOADS[5]}", "-metadata", f"title={PAYLOADS[0]}",
                    str(music / "tagged.ogg")], check=True, timeout=120)
    config = onaird_config(work / "onaird", icecast, site=site, interval=1,
                           source={"kind": "playlist", "path": str(music), "shuffle": False})
    settings = json.loads(config.read_text())
    settings["icecast"]["listener_mount"] = "/live.ogg"  # a DJ there is live; else it falls back to /radio.ogg
    config.write_text(json.dumps(settings))
    start_onaird(ctx.processes, ctx.bin_dir, config, work / "onaird.log")
    nginx = Nginx(ctx.bin_dir, work / "nginx", site, icecast.url)
    nginx.start()
    ctx.on_cleanup(nginx.stop)
    browser = Browser()
    ctx.on_cleanup(browser.quit)
    browser.add_init_script(TRAP)
    executions, violations, loads = [], [], 0

    def collect(where):
        nonlocal loads
        loads += 1
        count = browser.js("return window.__xss || 0;")
        if count:
            executions.append(f"{where}: __xss={count}")
        executions.extend(f"{where}: {a}" for a in browser.alerts())
        violations.extend(f"{where}: {v}" for v in browser.csp_violations())

    browser.get(nginx.url)
    shown = wait_for(lambda: browser.text("np-title") == PAYLOADS[0], 20, interval=0.3)
    collect("index (tags)")
    titles_as_text = 1 if shown else 0
    not_shown = [] if shown else ["tags"]
    for payload in PAYLOADS:
        done = subprocess.run([str(ctx.bin_dir / "onair"), "now", payload, "--socket", str(config.parent / "c.sock")],
                              capture_output=True, text=True, timeout=10)
        if done.returncode != 0:
            raise RowFailed(f"onair now failed: {done.stderr.strip()}")
        if wait_for(lambda p=payload: squeeze(p) in squeeze((browser.text("np-title") or "") + " - " + (browser.text("np-artist") or ""))
                    or squeeze((browser.text("np-artist") or "") + " - " + (browser.text("np-title") or "")) == squeeze(p),
                    10, interval=0.3):
            titles_as_text += 1
        else:
            not_shown.append(f"{payload!r} shown as {browser.text('np-artist')!r} / {browser.text('np-title')!r}")
    collect("index (onair now)")
    # A DJ on the listener mount (/live.ogg, which falls back to onaird's /radio.ogg): their stream
    # name and song reach the page through Icecast's status.
    dj = ctx.processes(["ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                        "sine=frequency=330:sample_rate=44100:duration=60", "-ac", "2", "-c:a", "libvorbis",
                        "-metadata", f"title={PAYLOADS[1]}", "-metadata", f"artist={PAYLOADS[2]}",
                        "-content_type", "application/ogg", "-ice_name", PAYLOADS[0], "-f", "ogg",
                        f"icecast://source:{icecast.password}@127.0.0.1:{icecast.port}/live.ogg"],
                       work / "dj.log")
    if wait_for(lambda: squeeze(PAYLOADS[0]) in squeeze(browser.text("np-badge") or ""), 30, interval=0.5):
        titles_as_text += 1
    else:
        not_shown.append(f"DJ stream name shown as {browser.text('np-badge')!r}")
    time.sleep(2)
    collect("index (DJ)")
    dj.stop()
    chat_shown, chat_url = chat_messages(ctx, work, site, icecast, config)
    browser.get(chat_url)
    # Every payload, the one with U+2028/U+2029 too (issue 11 item 3: it once vanished on the push stream).
    plain = list(PAYLOADS)
    if wait_for(lambda: all(squeeze(p) in squeeze(browser.text("chat-messages") or "") for p in plain), 30, interval=0.5):
        titles_as_text += 1
    else:
        shown_text = squeeze(browser.text("chat-messages") or "")
        missing = [p for p in plain if squeeze(p) not in shown_text]
        not_shown.append(f"chat lacks {missing!r}; it ends {shown_text[-160:]!r}")
    time.sleep(1)
    collect("index with chat")
    for path in ("shows/night-owls/", "shows/", "schedule/", "", "news/"):
        browser.get(nginx.url + path)
        time.sleep(1.5)
        collect(path or "index")
    # The editor's raw HTML in a show's Markdown is passed through (a feature): the CSP must stop it.
    untrusted_violations = list(violations)
    browser.get(nginx.url + "shows/harbour-mix/")
    time.sleep(1.5)
    collect("shows/harbour-mix/ (raw HTML)")
    editor_violations = violations[len(untrusted_violations):]
    fields = 3 + 2 + 1 + 2 + 1 + 1  # show: title, host, description; tags: artist, title; onair now; DJ: name, song; chat; show text
    ok = not executions and not untrusted_violations and titles_as_text == len(PAYLOADS) + 3 and chat_shown == len(PAYLOADS)
    figure = (f"{len(PAYLOADS)} payloads in {fields} fields, {loads} page checks: {len(executions)} executions, "
              f"{len(untrusted_violations)} CSP violations; hostile titles, names and chat shown as text {titles_as_text}/{len(PAYLOADS) + 3} (chat: {chat_shown} posts accepted); "
              f"editor's raw HTML in a show's text: {len(editor_violations)} inline scripts/handlers blocked by the CSP")
    if executions or untrusted_violations:
        figure += "; " + "; ".join((executions + untrusted_violations)[:3])
    if not_shown:
        figure += "; not shown as sent: " + "; ".join(not_shown[:3])
    return Result("XSS in Chromium", figure, ok)


def chat_messages(ctx, work, site, icecast, config):
    """onair-api (and an nginx that proxies it) over the same site; each payload posted as a chat
    message. Returns (posts accepted, the page URL through that nginx)."""
    import http.client
    from helpers.api import ApiNginx, OnAirAPI
    origin = "https://radio.example"
    api = OnAirAPI(ctx.bin_dir, work / "api", ctx.processes, site, config.parent / "c.sock", origin)
    api.start()
    nginx = ApiNginx(ctx.bin_dir, work / "api-nginx", site, icecast.url, api_url=api.url)
    nginx.start()
    ctx.on_cleanup(nginx.stop)
    accepted = 0
    for index, payload in enumerate(PAYLOADS):
        connection = http.client.HTTPConnection("127.0.0.1", api.port, timeout=10)
        try:
            connection.request("POST", "/api/chat", body=json.dumps({"nickname": f"listener{index}", "text": payload}),
                               headers={"Content-Type": "application/json", "Origin": origin,
                                        "X-Real-IP": f"10.5.0.{index + 1}"})
            accepted += connection.getresponse().status == 201
        finally:
            connection.close()
    return accepted, nginx.url


def secrets(ctx):
    """The source password never in site/, onaird's log, `ps`, error messages or `onair status`;
    a wrong password (refused by Icecast) is not echoed either."""
    work = ctx.folder("secrets")
    icecast = ctx.keep(Icecast(work / "icecast"))
    icecast.start()
    (work / "onaird").mkdir(parents=True, exist_ok=True)
    (work / "onaird" / "admin.password").write_text(icecast.admin_password + "\n")
    config = onaird_config(work / "onaird", icecast, interval=1, live={"mount": "/dj"})
    text = json.loads(config.read_text())
    text["icecast"]["admin_password_file"] = str(work / "onaird" / "admin.password")
    config.write_text(json.dumps(text))
    daemon = start_onaird(ctx.processes, ctx.bin_dir, config, work / "onaird.log")
    wait_for(lambda: icecast.source("/radio.ogg"), 20)
    # A DJ taken off the air: onaird logs in to Icecast's admin interface to end their connection.
    dj = ctx.processes(["ffmpeg", "-nostdin", "-v", "error", "-re", "-f", "lavfi", "-i", "sine=frequency=880", "-t", "30",
                        "-c:a", "libvorbis", "-content_type", "application/ogg", "-f", "ogg",
                        f"icecast://source:{icecast.dj_password}@127.0.0.1:{icecast.port}/dj"], work / "dj.log")
    nowplaying = config.parent / "site" / "nowplaying.json"
    wait_for(lambda: nowplaying.exists() and json.loads(nowplaying.read_text())["live"]["is_live"], 15)
    socket = ["--socket", str(config.parent / "c.sock")]
    ended = subprocess.run([str(ctx.bin_dir / "onair"), "end-live", *socket], capture_output=True, text=True, timeout=10)
    if "their connection was ended" not in ended.stdout:
        raise RowFailed(f"onair end-live did not end the DJ's connection: {ended.stdout}{ended.stderr}")
    dj.stop()
    status = subprocess.run([str(ctx.bin_dir / "onair"), "status", *socket], capture_output=True, text=True, timeout=10)
    status.stdout += ended.stdout + ended.stderr
    ps = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True, timeout=10).stdout
    daemon.signal(1)  # SIGHUP: reload, which re-reads the password file
    time.sleep(2)
    daemon.stop()
    # Refused: a wrong password in a file, and in the environment.
    wrong = token()
    bad = onaird_config(work / "wrong", icecast, interval=1)
    (work / "wrong" / "source.password").write_text(wrong + "\n")
    refused = ctx.processes([str(ctx.bin_dir / "onaird"), "--config", str(bad)], work / "wrong.log",
                            env=onaird_env(), cwd=str(bad.parent))
    time.sleep(5)
    ps += subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True, timeout=10).stdout
    refused.stop()
    env_wrong = token()
    env_config = onaird_config(work / "env", icecast, interval=1)
    text = json.loads(env_config.read_text())
    del text["icecast"]["password_file"]
    env_config.write_text(json.dumps(text))
    environment = {**onaird_env(), "ONAIR_SOURCE_PASSWORD": env_wrong}
    via_env = ctx.processes([str(ctx.bin_dir / "onaird"), "--config", str(env_config)], work / "env.log",
                            env=environment, cwd=str(env_config.parent))
    time.sleep(4)
    via_env.stop()
    # Unreadable password file: the error names the file, not its content.
    unreadable = onaird_config(work / "unreadable", icecast, interval=1)
    (work / "unreadable" / "source.password").write_text("\0" * 3 + wrong)
    checked = subprocess.run([str(ctx.bin_dir / "onaird"), "--config", str(unreadable), "--check"],
                             capture_output=True, text=True, timeout=20, env=onaird_env())
    api_log, api_answers = api_sign_ins(ctx, work)
    places = {
        "site/": "\n".join(p.read_text(errors="replace") for p in (config.parent / "site").rglob("*") if p.is_file()),
        "onaird logs": "\n".join((work / n).read_text(errors="replace") for n in ("onaird.log", "wrong.log", "env.log")),
        "ps": ps,
        "onair status": status.stdout + status.stderr,
        "errors": checked.stdout + checked.stderr,
        "icecast status": json.dumps(icecast.status()),
        "onair-api log and answers": api_log + api_answers,
    }
    leaks = [where for where, text in places.items()
             for secret in (icecast.password, icecast.admin_password, wrong, env_wrong, *API_PASSWORDS) if secret in text]
    refused_logged = "refused" in (work / "wrong.log").read_text(errors="replace").lower()
    ok = not leaks and refused_logged
    figure = (f"5 passwords (source: right, wrong in a file, wrong in the environment; staff: right, wrong) and "
              f"Icecast's admin password (onaird ends a DJ's connection with it) "
              f"searched in {len(places)} places "
              f"({', '.join(places)}): {len(leaks)} leaks; refusal logged without the password: "
              f"{'yes' if refused_logged else 'NO'}")
    if leaks:
        figure += "; found in " + ", ".join(sorted(set(leaks)))
    return Result("secrets", figure, ok)


API_PASSWORDS = ("faults-staff-password-1", "faults-wrong-password-2")


def api_sign_ins(ctx, work):
    """onair-api with a staff account: a wrong and a right sign-in and one for a name that does not
    exist; returns its log, its answers and `ps` (none may hold a password)."""
    import http.client
    from helpers.nginx import free_port
    folder = work / "api"
    folder.mkdir()
    port = free_port()
    (folder / "onair-api.yaml").write_text(f"listen: 127.0.0.1:{port}\ndata_dir: ./data\nsite: ./site\n"
                                           f"public_origin: http://127.0.0.1:{port}\n")
    (folder / "site").mkdir()
    added = subprocess.run([str(ctx.bin_dir / "onair"), "user", "add", "dj1", "--role", "dj", "--data-dir",
                            str(folder / "data")], input=API_PASSWORDS[0] + "\n", capture_output=True, text=True, timeout=60)
    answers = added.stdout + added.stderr
    api = ctx.processes([str(ctx.bin_dir / "onair-api"), "--config", str(folder / "onair-api.yaml")],
                        folder / "onair-api.log", cwd=str(folder))

    def sign_in(name, password):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("POST", "/api/session", body=json.dumps({"username": name, "password": password}),
                               headers={"Content-Type": "application/json", "Origin": f"http://127.0.0.1:{port}"})
            response = connection.getresponse()
            return f"{response.status} {dict(response.getheaders())} {response.read().decode(errors='replace')}"
        finally:
            connection.close()

    if wait_for(lambda: sign_in("nobody", "x"), 30):
        for name, password in (("dj1", API_PASSWORDS[1]), ("dj1", API_PASSWORDS[0]), ("ghost", API_PASSWORDS[1])):
            answers += sign_in(name, password)
    answers += subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True, timeout=10).stdout
    api.stop()
    return (folder / "onair-api.log").read_text(errors="replace"), answers

