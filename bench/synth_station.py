#!/usr/bin/env python3
"""Makes a synthetic station for the generator benchmark: the same N posts for OnAir and for Hugo.

    synth_station.py --posts 1000 --out DIR
N Markdown files = 10 pages + N - 10 news posts. Writes DIR/onair/{Content,Templates} (Templates copied from the repo) and DIR/hugo (a minimal Hugo
site with plain baseof/single/list layouts). Deterministic: the same N gives the same bytes.
"""
import argparse
import pathlib
import random
import shutil

WORDS = ("radio night owls vinyl studio signal evening morning listeners playlist broadcast jazz "
         "ambient voice archive interview weekly session community music record sound station "
         "frequency antenna tuner chorus melody rhythm bass guitar piano drums synth field recording "
         "local neighbourhood city harbour river winter summer festival concert guest host").split()
# A station has a handful of pages (about, contact, ...) and many news posts. Pages matter: OnAir puts
# every page in every page's navigation, so 10 % pages (1 000 at N = 10 000) would measure a menu no
# station has (quadratic output), not the generator.
PAGES = 10
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def sentence(rng, n=None):
    n = n or rng.randint(8, 16)
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def paragraph(rng, sentences=5):
    parts = []
    for _ in range(sentences):
        s = sentence(rng)
        if rng.random() < 0.3:
            w = rng.choice(WORDS)
            s = s.replace(f" {w} ", f" *{w}* ", 1)
        if rng.random() < 0.2:
            w = rng.choice(WORDS)
            s = s.replace(f" {w} ", f" **{w}** ", 1)
        if rng.random() < 0.2:
            s += f" See [the {rng.choice(WORDS)} notes](https://example.org/{rng.choice(WORDS)})."
        parts.append(s)
    return " ".join(parts)


def body(rng):
    """About 600 words: headings, lists, links, emphasis, a code block."""
    out = [paragraph(rng, 6), "", f"## {sentence(rng, 4)[:-1]}", "", paragraph(rng, 6), ""]
    out += [f"- {sentence(rng, 6)}" for _ in range(5)] + [""]
    out += ["```", "onair now \"Artist - Title\"", "onair status", "```", ""]
    out += [f"### {sentence(rng, 3)[:-1]}", "", paragraph(rng, 6), ""]
    out += [f"{i}. {sentence(rng, 5)}" for i in range(1, 5)] + [""]
    out += [paragraph(rng, 6), "", f"> {sentence(rng)}", "", paragraph(rng, 5), ""]
    return "\n".join(out)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make(posts, out, repo):
    rng = random.Random(posts)
    onair = out / "onair"
    hugo = out / "hugo"
    for d in (onair, hugo):
        if d.exists():
            shutil.rmtree(d)
    content = onair / "Content"
    # station profile and artwork from the example station, so the templates find what they need
    shutil.copytree(repo / "Content", content, ignore=shutil.ignore_patterns("music", "news", "shows", "pages"))
    shutil.copytree(repo / "Templates", onair / "Templates")
    for name in ("news", "shows", "pages"):
        (content / name).mkdir(parents=True, exist_ok=True)

    shows = [f"show-{i:02d}" for i in range(20)]
    for i, slug in enumerate(shows):
        write(content / "shows" / f"{slug}.md",
              f"---\ntitle: Show {i:02d}\nhost: Host {i:02d}\ndescription: {sentence(rng)}\n"
              f"genres: [ambient, jazz]\n---\n\n{paragraph(rng, 5)}\n")
    rows = ["# Schedule", ""]
    for d, day in enumerate(DAYS):
        rows += [f"## {day}", "", "| Time | Show |", "|---|---|"]
        for h in range(0, 24, 3):
            slug = shows[(d * 8 + h // 3) % len(shows)]
            end = f"{h + 3:02d}:00" if h + 3 < 24 else "00:00"
            rows.append(f"| {h:02d}:00–{end} | [Show {shows.index(slug):02d}](shows/{slug}.md) |")
        rows.append("")
    write(content / "schedule.md", "\n".join(rows))

    hugo_cfg = ('baseURL = "https://radio.example/"\nlanguageCode = "en"\ntitle = "Bench Radio"\n'
                'disableKinds = ["taxonomy", "term"]\n')
    write(hugo / "config.toml", hugo_cfg)
    write(hugo / "layouts/_default/baseof.html",
          "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title>"
          "</head>\n<body><header><a href=\"/\">{{ .Site.Title }}</a></header>\n<main>{{ block \"main\" . }}{{ end }}"
          "</main></body></html>\n")
    write(hugo / "layouts/_default/single.html",
          "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format \"2006-01-02\" }}</time>"
          "{{ .Content }}</article>{{ end }}\n")
    write(hugo / "layouts/_default/list.html",
          "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">"
          "{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n")
    write(hugo / "layouts/index.html",
          "{{ define \"main\" }}<ul>{{ range first 20 .Site.RegularPages }}<li><a href=\"{{ .RelPermalink }}\">"
          "{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n")

    for i in range(posts):
        title = sentence(rng, 5)[:-1]
        text = body(rng)
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        date = f"2025-{month:02d}-{day:02d}"  # in the past: Hugo skips future posts by default
        kind = "pages" if i < PAGES else "news"
        slug = f"post-{i:05d}"
        write(content / kind / f"{slug}.md", f"---\ntitle: \"{title}\"\ndate: {date}\n---\n\n{text}")
        write(hugo / "content" / kind / f"{slug}.md", f"---\ntitle: \"{title}\"\ndate: {date}\n---\n\n{text}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, required=True)
    parser.add_argument("--out", type=pathlib.Path, required=True)
    args = parser.parse_args()
    repo = pathlib.Path(__file__).resolve().parents[1]
    make(args.posts, args.out, repo)


if __name__ == "__main__":
    main()
