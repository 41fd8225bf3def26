"""The Debian package, installed on this machine for real: `make deb`, lintian, `dpkg -i` without
systemd, each unit's ExecStart run as the onair user the way systemd would, the installed station
on the air (nginx block on a test port, Icecast from the installed config, onaird, onair-api,
`onair now`), an upgrade that keeps edited conffiles, and a purge that leaves nothing of ours but
the station's content.

The package comes from $ONAIR_DEB (scripts/test builds it once with scripts/make-deb, a release
build of several minutes); without it the module is skipped. It installs into the real system, so it runs only as root on a machine with
no onair user and no /srv/onair, uses free ports (never 80 or 8000), never starts the system's
icecast2 or nginx services, and purges the package at the end whatever happened.
"""
import grp
import json
import os
import pathlib
import pwd
import re
import shlex
import shutil
import subprocess

import pytest

from helpers.processes import http_get, wait_until
from helpers.nginx import MAIN, NGINX, free_port

PROGRAMS = ("onair", "onaird", "onair-api")
UNITS = ("onaird.service", "onair-api.service", "onair-icecast.service")
STATION = pathlib.Path("/srv/onair")


def run(args, **kwargs):
    kwargs.setdefault("timeout", 300)
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def installed():
    return run(["dpkg-query", "-W", "-f=${Status}", "onair"]).stdout.startswith("install ok installed")


def purge():
    return run(["dpkg", "--purge", "onair"], env={**os.environ, "ONAIR_PURGE_CONTENT": "yes"})


@pytest.fixture(scope="module")
def deb():
    if os.geteuid() != 0 or not shutil.which("dpkg-deb"):
        pytest.skip("installs a package: needs root and dpkg")
    if installed() or STATION.exists():
        pytest.skip("onair is already installed here or /srv/onair exists: not touching a real station")
    path = os.environ.get("ONAIR_DEB")
    if not path or path == "0":
        pytest.skip("set ONAIR_DEB to a package made by scripts/make-deb (scripts/test does)")
    assert pathlib.Path(path).is_file(), f"ONAIR_DEB={path} does not exist"
    return pathlib.Path(path)


@pytest.fixture(scope="module")
def install(deb):
    """Installs the package once for the module; purges it (and the content) at the end."""
    result = run(["dpkg", "-i", str(deb)])
    try:
        yield result
    finally:
        if installed():
            purge()
        shutil.rmtree(STATION, ignore_errors=True)


def unit(name):
    """The [Service] keys of an installed unit: key -> list of values."""
    keys = {}
    for line in pathlib.Path("/lib/systemd/system", name).read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            keys.setdefault(key.strip(), []).append(value.strip())
    return keys


def as_systemd(processes, name, log, extra_env=None):
    """Runs a unit's ExecStartPre lines and its ExecStart the way systemd would: its User, Group,
    SupplementaryGroups, WorkingDirectory, Environment, Runtime/State/LogsDirectory, UMask."""
    keys = unit(name)
    user = keys["User"][0]
    account = pwd.getpwnam(user)
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": account.pw_dir, "USER": user, "LANG": "C.UTF-8"}
    for entry in keys.get("Environment", []):
        for pair in shlex.split(entry):
            k, v = pair.split("=", 1)
            env[k] = v
    for key, root, variable in (("RuntimeDirectory", "/run", "RUNTIME_DIRECTORY"),
                                ("StateDirectory", "/var/lib", "STATE_DIRECTORY"),
                                ("LogsDirectory", "/var/log", "LOGS_DIRECTORY")):
        for value in keys.get(key, []):
            folder = pathlib.Path(root, value)
            folder.mkdir(parents=True, exist_ok=True)
            mode = keys.get(key + "Mode", ["0755"])[0]
            os.chmod(folder, int(mode, 8))
            os.chown(folder, account.pw_uid, account.pw_gid)
            env[variable] = str(folder)
    env.update(extra_env or {})
    groups = ",".join([keys["Group"][0]] + keys.get("SupplementaryGroups", []))
    umask = keys.get("UMask", ["0022"])[0]
    wrap = ["setpriv", f"--reuid={user}", f"--regid={keys['Group'][0]}", f"--groups={groups}", "--inh-caps=-all",
            "--no-new-privs", "sh", "-c", f"umask {umask}; exec \"$@\"", "unit"]
    cwd = keys.get("WorkingDirectory", ["/"])[0]
    for pre in keys.get("ExecStartPre", []):
        done = run(wrap + shlex.split(pre), env=env, cwd=cwd)
        assert done.returncode == 0, f"{name} ExecStartPre failed: {done.stderr}"
    return processes(wrap + shlex.split(keys["ExecStart"][0]), log, env=env, cwd=cwd)


def set_in(path, pattern, replacement):
    text = pathlib.Path(path).read_text()
    changed = re.sub(pattern, replacement, text)
    assert changed != text, f"{pattern!r} not found in {path}"
    pathlib.Path(path).write_text(changed)


def test_lintian_reports_no_error(deb):
    result = run(["lintian", "--tag-display-limit", "0", str(deb)])
    errors = [line for line in result.stdout.splitlines() if line.startswith("E:")]
    assert errors == [], result.stdout


def test_install_creates_user_folders_and_secret_passwords(install):
    assert install.returncode == 0, install.stdout + install.stderr
    output = install.stdout + install.stderr
    assert "systemd is not running here: onair-icecast, onaird and onair-api were not enabled or started" in output
    account = pwd.getpwnam("onair")
    for folder in ("Content", "Templates", "music", "site", "recordings"):
        assert (STATION / folder).is_dir(), folder
    assert (STATION / "site").is_symlink(), "the site is published as a link onair publish swaps"
    for name in ("source", "dj", "admin"):
        path = pathlib.Path(f"/etc/onair/{name}.password")
        info = path.stat()
        assert oct(info.st_mode & 0o777) == "0o640" and info.st_uid == 0
        assert grp.getgrgid(info.st_gid).gr_name == "onair"
        secret = path.read_text().strip()
        assert len(secret) >= 24 and secret not in output, "a password must never be printed"
    assert account.pw_dir == str(STATION)
    for name in UNITS:
        keys = unit(name)
        program = keys["ExecStart"][0].split()[0]
        assert program.startswith("/usr/bin/") and os.access(program, os.X_OK), (name, program)
        verified = run(["systemd-analyze", "verify", f"/lib/systemd/system/{name}"])
        assert verified.returncode == 0, verified.stdout + verified.stderr
    # The hook examples the config names (commented out, so a fresh install runs none).
    for hook in ("mastodon-title", "chat-alarm"):
        assert os.access(f"/usr/lib/onair/hooks/{hook}", os.X_OK), hook
        assert f"#   {'title' if hook == 'mastodon-title' else 'alarm'}: /usr/lib/onair/hooks/{hook}" in \
            pathlib.Path("/etc/onair/onaird.yaml").read_text()
    conffiles = pathlib.Path("/var/lib/dpkg/info/onair.conffiles").read_text().split()
    assert sorted(conffiles) == ["/etc/onair/icecast.xml", "/etc/onair/nginx-onair.conf",
                                 "/etc/onair/onair-api.yaml", "/etc/onair/onaird.yaml"]
    for program in PROGRAMS:
        help_text = run([f"/usr/bin/{program}", "--help"]).stdout
        assert "USAGE:" in help_text, program
        assert pathlib.Path(f"/usr/share/man/man1/{program}.1.gz").exists()


def test_installed_binaries_need_no_toolchain(install):
    for program in PROGRAMS:
        linked = run(["ldd", f"/usr/bin/{program}"]).stdout
        assert "/opt/swift" not in linked and "not found" not in linked and "libswiftCore" not in linked, linked


def test_installed_station_plays_and_reports_now_playing(install, processes, tmp_path):
    icecast_port, nginx_port, api_port = free_port(), free_port(), free_port()
    # The operator's edits (they must survive the upgrade below): ports, and a playlist.
    set_in("/etc/onair/icecast.xml", r"<port>8000</port>", f"<port>{icecast_port}</port>")
    set_in("/etc/onair/onaird.yaml", r"url: http://127.0.0.1:8000", f"url: http://127.0.0.1:{icecast_port}")
    set_in("/etc/onair/onaird.yaml", r"interval: 5 ", "interval: 1 ")
    set_in("/etc/onair/onair-api.yaml", r"listen: 127.0.0.1:8090", f"listen: 127.0.0.1:{api_port}")
    music = STATION / "music" / "tone.wav"
    made = run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", "-e", "signed-integer", str(music),
                "synth", "30", "sine", "440"])
    assert made.returncode == 0, made.stderr
    os.chown(music, pwd.getpwnam("onair").pw_uid, grp.getgrnam("onair").gr_gid)

    icecast = as_systemd(processes, "onair-icecast.service", tmp_path / "icecast.log")
    wait_until(lambda: http_get(f"http://127.0.0.1:{icecast_port}/status-json.xsl")[0] == 200, 20, what="Icecast")
    rendered = pathlib.Path("/run/onair-icecast/icecast.xml").read_text()
    assert pathlib.Path("/etc/onair/source.password").read_text().strip() in rendered
    assert "@SOURCE_PASSWORD@" not in rendered
    onaird = as_systemd(processes, "onaird.service", tmp_path / "onaird.log")
    api = as_systemd(processes, "onair-api.service", tmp_path / "api.log")

    # nginx with the installed server block, moved to test ports; workers as www-data.
    prefix = tmp_path / "nginx"
    (prefix / "temp").mkdir(parents=True)
    block = pathlib.Path("/etc/onair/nginx-onair.conf").read_text()
    block = block.replace("listen 80;", f"listen 127.0.0.1:{nginx_port};")
    block = block.replace("http://127.0.0.1:8000/", f"http://127.0.0.1:{icecast_port}/")
    (prefix / "onair.conf").write_text(block)
    (prefix / "nginx.conf").write_text(MAIN.format(prefix=prefix, user="www-data"))
    os.chmod(tmp_path, 0o755)
    os.chmod(prefix, 0o755)
    nginx = processes([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")], prefix / "stdout.log")
    base = f"http://127.0.0.1:{nginx_port}"
    status, _, page = wait_until(lambda: http_get(base + "/"), 15, what="nginx")
    text = page.decode()
    assert status == 200 and "OnAir Radio" in text and "Kanal Elbe" not in text

    def online():
        document = json.loads(http_get(base + "/nowplaying.json")[2])
        return document if document["online"] and document["now_playing"] else None
    document = wait_until(online, 30, interval=0.5, what="nowplaying.json online through nginx")
    assert document["station"]["mounts"]

    # The stream plays in ffmpeg through nginx's /stream/ from the installed Icecast config.
    played = subprocess.run(["ffmpeg", "-v", "error", "-t", "3", "-i", base + "/stream/radio.ogg", "-f", "s16le",
                             "-ac", "1", "-ar", "44100", "pipe:1"], capture_output=True, timeout=60)
    assert played.returncode == 0 and len(played.stdout) >= 2 * 44100 * 2, played.stderr[-500:]
    samples = memoryview(played.stdout[44100 * 2:]).cast("h")
    assert max(abs(sample) for sample in samples) > 3000, "the 440 Hz tone, not silence"

    # `onair now` as the onair user reaches the page's nowplaying.json.
    said = run(["runuser", "-u", "onair", "--", "env", "ONAIR_CONTROL_SOCKET=/run/onair/onaird.sock",
                "onair", "now", "Deb Test - Installed Title"])
    assert said.returncode == 0, said.stderr
    wait_until(lambda: "Deb Test - Installed Title" in http_get(base + "/nowplaying.json")[2].decode(), 10,
               what="the title in nowplaying.json through nginx")

    # A rebuilt site published while the daemon writes: the page changes, nowplaying.json stays live.
    set_in(STATION / "Content" / "station.yaml", r"tagline: .*", "tagline: Published while on the air")
    built = run(["runuser", "-u", "onair", "--", "env", "XDG_CACHE_HOME=/var/cache/onair", "onair", "build",
                 "--content", str(STATION / "Content"), "--templates", str(STATION / "Templates"),
                 "--output", "/var/cache/onair/site"])
    assert built.returncode == 0, built.stderr
    published = run(["runuser", "-u", "onair", "--", "onair", "publish", str(STATION / "site"),
                     "--site", "/var/cache/onair/site"])
    assert published.returncode == 0, published.stderr
    assert "Published while on the air" in http_get(base + "/")[2].decode()
    before = json.loads(http_get(base + "/nowplaying.json")[2])["updated_at"]
    wait_until(lambda: json.loads(http_get(base + "/nowplaying.json")[2])["updated_at"] != before, 10,
               what="the daemon still updating nowplaying.json after the publish")

    # onair-api (optional, not proxied by the default block) answers on its own port.
    status, _, body = wait_until(lambda: http_get(f"http://127.0.0.1:{api_port}/api/me"), 20, what="onair-api")
    assert status == 200 and json.loads(body)["user"] is None
    for process in (nginx, api, onaird, icecast):
        process.stop()
    logs = "".join((tmp_path / name).read_text() for name in ("icecast.log", "onaird.log", "api.log"))
    for name in ("source", "dj", "admin"):
        assert pathlib.Path(f"/etc/onair/{name}.password").read_text().strip() not in logs


def test_upgrade_keeps_edited_conffiles(install, deb):
    edited = pathlib.Path("/etc/onair/onaird.yaml").read_text()
    assert "interval: 1 " in edited, "the station test edits it first"
    password = pathlib.Path("/etc/onair/source.password").read_text()
    again = run(["dpkg", "-i", str(deb)])
    assert again.returncode == 0, again.stdout + again.stderr
    assert pathlib.Path("/etc/onair/onaird.yaml").read_text() == edited
    assert pathlib.Path("/etc/onair/source.password").read_text() == password


def test_purge_leaves_only_the_station_content(install, deb):
    files = [line.split()[-1].lstrip(".") for line in run(["dpkg-deb", "-c", str(deb)]).stdout.splitlines()
             if not line.startswith("d")]
    (STATION / "Content" / "mine.md").write_text("the editor's own file\n")
    result = run(["dpkg", "--purge", "onair"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "kept the station's content in /srv/onair" in result.stdout
    with pytest.raises(KeyError):
        pwd.getpwnam("onair")
    with pytest.raises(KeyError):
        grp.getgrnam("onair")
    left = [path for path in files if os.path.lexists(path)]
    assert left == [], left
    for path in ("/etc/onair", "/var/lib/onair", "/var/cache/onair", "/var/log/onair", "/srv/onair/site",
                 "/srv/onair/.site.releases", "/srv/onair/.site.live", "/etc/nginx/sites-enabled/onair.conf",
                 *(f"/lib/systemd/system/{name}" for name in UNITS)):
        assert not os.path.lexists(path), path
    assert (STATION / "Content" / "mine.md").read_text() == "the editor's own file\n"
    assert (STATION / "Content" / "station.yaml").stat().st_uid == 0
