"""Site generation: `onair build` against Hugo on the same synthetic posts.

For each N: onair cold / no-change / one post touched, Hugo with its defaults and with code
highlighting off (the fair row: Discount does not highlight), on tmpfs (CPU) and on disk.
"""
import os
import pathlib
import shutil
import subprocess

from common import WORK, clean, summary, timed

HERE = pathlib.Path(__file__).resolve().parent


def synthesize(posts, folder):
    subprocess.run(["python3", HERE / "synth_station.py", "--posts", str(posts), "--out", folder], check=True)
    (folder / "hugo" / "nohl.toml").write_text("[markup.highlight]\ncodeFences = false\n")


def onair_runs(onair, station, out, repeats):
    content, templates = station / "Content", station / "Templates"
    build = [onair, "build", "--content", content, "--templates", templates, "--output", out]
    cold, rss, nochange, touched = [], [], [], []
    post = sorted((content / "news").glob("*.md"))[len(list((content / "news").glob("*.md"))) // 2]
    for i in range(repeats):
        # A cold build has no site and no cache: onair keeps its no-change manifest and its page and
        # body caches under $XDG_CACHE_HOME/onair, so each round starts with an empty one.
        cache = clean(out.parent / "onair-cache")
        env = dict(os.environ, SOURCE_DATE_EPOCH="1795000000", XDG_CACHE_HOME=str(cache))
        if out.exists():
            shutil.rmtree(out)
        wall, peak = timed(build, env=env)
        cold.append(wall)
        rss.append(peak)
        pages = len(list(out.rglob("*.html")))
        nochange.append(timed(build, env=env)[0])
        with open(post, "a", encoding="utf-8") as f:
            f.write(f"\nOne more line, edit {i}.\n")
        touched.append(timed(build, env=env)[0])
    return {"cold": summary(cold), "cold_rss_mb": summary(rss), "nochange": summary(nochange),
            "touched": summary(touched), "html_pages": pages}


def hugo_runs(hugo_site, out, repeats, highlight):
    config = "config.toml" if highlight else "config.toml,nohl.toml"
    build = ["hugo", "--quiet", "--source", hugo_site, "--destination", out, "--config", config]
    post = sorted((hugo_site / "content" / "news").glob("*.md"))[0]
    cold, rss, nochange, touched = [], [], [], []
    for i in range(repeats):
        for leftover in (out, hugo_site / "resources"):
            if leftover.exists():
                shutil.rmtree(leftover)
        wall, peak = timed(build)
        cold.append(wall)
        rss.append(peak)
        pages = len(list(out.rglob("*.html")))
        nochange.append(timed(build)[0])
        with open(post, "a", encoding="utf-8") as f:
            f.write(f"\nOne more line, edit {i}.\n")
        touched.append(timed(build)[0])
    return {"cold": summary(cold), "cold_rss_mb": summary(rss), "nochange": summary(nochange),
            "touched": summary(touched), "html_pages": pages}


def run(onair, sizes=(1000, 10000), repeats=3):
    results = {}
    for posts in sizes:
        for medium, base in (("tmpfs", pathlib.Path("/dev/shm/onair-bench")), ("disk", WORK / "site")):
            folder = clean(base / f"n{posts}")
            synthesize(posts, folder)
            key = f"n{posts}_{medium}"
            results[key] = {
                "onair": onair_runs(onair, folder / "onair", folder / "onair-out", repeats),
                "hugo_default": hugo_runs(folder / "hugo", folder / "hugo-out", repeats, highlight=True),
                "hugo_nohighlight": hugo_runs(folder / "hugo", folder / "hugo-out", repeats, highlight=False),
            }
            print(key, results[key], flush=True)
            shutil.rmtree(folder)
    return results
