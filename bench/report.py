"""Turns bench/results/*.json into bench/BENCHMARKS.md: figures, ratios against peers, targets."""
import json

from common import ROOT, load
from stream_bench import listener_verdict


def fmt(value, unit="", digits=2):
    if value is None:
        return "n/a"
    return f"{value:.{digits}f}{unit}"


def spread(s, unit="s"):
    return f"{fmt(s['median'], unit)} ({fmt(s['min'])}–{fmt(s['max'])})"


def verdict(ok):
    return "met" if ok else "**not met**"


def site_section(site):
    lines = ["## Site generation: `onair build` vs Hugo", "",
             "Median of the runs (min–max). Wall seconds; peak RSS of the cold build.", ""]
    targets = []
    for key, row in sorted(site.items()):
        onair, hugo, fair = row["onair"], row["hugo_default"], row["hugo_nohighlight"]
        lines += [f"### {key.replace('_', ', ').replace('n', 'N = ', 1)}", "",
                  "| build | onair | Hugo (defaults) | Hugo (highlight off) | onair / Hugo (off) |",
                  "|---|---|---|---|---|"]
        for name in ("cold", "nochange", "touched"):
            ratio = onair[name]["median"] / fair[name]["median"]
            lines.append(f"| {name} | {spread(onair[name])} | {spread(hugo[name])} | {spread(fair[name])} | {ratio:.2f}× |")
        rss_ratio = onair["cold_rss_mb"]["median"] / fair["cold_rss_mb"]["median"]
        lines.append(f"| peak RSS (cold) | {fmt(onair['cold_rss_mb']['median'], ' MB', 1)} | "
                     f"{fmt(hugo['cold_rss_mb']['median'], ' MB', 1)} | {fmt(fair['cold_rss_mb']['median'], ' MB', 1)} | "
                     f"{rss_ratio:.2f}× |")
        lines.append(f"| HTML pages written | {onair.get('html_pages', '?')} | {hugo.get('html_pages', '?')} | "
                     f"{fair.get('html_pages', '?')} | |")
        lines.append("")
        if key.startswith("n10000"):
            cold = onair["cold"]["median"]
            targets += [
                (f"{key}: cold build ≤ 0.5× Hugo (highlight off)", onair["cold"]["median"] / fair["cold"]["median"], 0.5),
                (f"{key}: peak RSS ≤ 0.1× Hugo", rss_ratio, 0.1),
                (f"{key}: no-change rebuild ≤ 0.1× our cold build", onair["nochange"]["median"] / cold, 0.1),
                (f"{key}: one changed post ≤ 0.2× our cold build", onair["touched"]["median"] / cold, 0.2),
            ]
    return lines, targets


def stream_section(stream):
    floor = stream["oggenc_q4"]["cpu_s_per_audio_min"]
    lines = ["## Streaming cost: onaird vs oggenc, ffmpeg, darkice", "",
             f"{stream['audio_minutes']} minutes of generated music-like audio; each streamer sends it in real "
             f"time to a private Icecast for {stream['window_s']} s. CPU seconds per minute of audio "
             "(user + system, /proc), peak RSS (VmHWM); ratio against `oggenc -q 4` encoding the same audio to a file.", "",
             "| process | CPU s / audio min | × oggenc | peak RSS | listener check |", "|---|---|---|---|---|",
             f"| oggenc -q 4 (floor) | {fmt(floor, '', 3)} | 1.00× | {fmt(stream['oggenc_q4']['peak_rss_mb'], ' MB', 1)} | — |"]
    realtime = stream.get("oggenc_q4_realtime")
    if realtime:
        lines.append(f"| oggenc -q 4 fed in real time (`pv -L`) | {fmt(realtime['cpu_s_per_audio_min'], '', 3)} | "
                     f"{realtime['cpu_s_per_audio_min'] / floor:.2f}× | | — |")
    for name in ("onaird_playlist", "onaird_playlist_static", "onaird_alsa", "ffmpeg", "darkice"):
        row = stream.get(name)
        if not row and name.endswith("_static"):
            continue
        if not row:
            lines.append(f"| {name} | not measured | | | |")
            continue
        lines.append(f"| {name} | {fmt(row['cpu_s_per_audio_min'], '', 3)} | {row['cpu_s_per_audio_min'] / floor:.2f}× | "
                     f"{fmt(row['peak_rss_mb'], ' MB', 1)} | {listener_verdict(row['listener'])} |")
    lines.append("")
    memory_rows = [(name, stream[name]["memory"]) for name in ("onaird_playlist", "onaird_playlist_static", "onaird_alsa", "ffmpeg", "darkice")
                   if stream.get(name, {}).get("memory")]
    if memory_rows:
        lines += ["Where the resident memory is, at the end of each window (`/proc/PID/smaps_rollup`; RSS counts "
                  "every shared-library page the process touched, PSS-anon is the process's own heap and stacks):", "",
                  "| process | RSS | private dirty | PSS anon | shared clean (libraries) | largest mappings |",
                  "|---|---|---|---|---|---|"]
        for name, memory in memory_rows:
            largest = ", ".join(f"{k} {v}" for k, v in memory["largest_mappings_mb"].items())
            lines.append(f"| {name} | {fmt(memory['rss_mb'], ' MB', 1)} | {fmt(memory['private_dirty_mb'], ' MB', 1)} | "
                         f"{fmt(memory['pss_anon_mb'], ' MB', 1)} | {fmt(memory['shared_clean_mb'], ' MB', 1)} | {largest} |")
        lines.append("")
    targets = []
    playlist = stream.get("onaird_playlist")
    if playlist:
        targets.append(("onaird (playlist) CPU ≤ 1.1× oggenc", playlist["cpu_s_per_audio_min"] / floor, 1.1))
        if realtime:
            targets.append(("onaird (playlist) CPU ≤ 1.1× oggenc fed in real time (not the issue's target; "
                            "same pacing)", playlist["cpu_s_per_audio_min"] / realtime["cpu_s_per_audio_min"], 1.1))
        targets.append(("onaird (playlist) peak RSS ≤ 15 MB", playlist["peak_rss_mb"], 15))
        if stream.get("onaird_playlist_static"):
            targets.append(("onaird (playlist, --static-swift-stdlib) peak RSS ≤ 15 MB",
                            stream["onaird_playlist_static"]["peak_rss_mb"], 15))
        for peer in ("ffmpeg", "darkice"):
            if stream.get(peer):
                targets.append((f"onaird (playlist) CPU below {peer}",
                                playlist["cpu_s_per_audio_min"] / stream[peer]["cpu_s_per_audio_min"], 1.0))
    return lines, targets


def latency_section(latency):
    json_ms, stream_ms, wrk = latency["json_ms"], latency["stream_ms"], latency["wrk"]
    lines = ["## Now-playing latency and polling capacity", "",
             "| measurement | result |", "|---|---|",
             f"| `onair now` → nowplaying.json on disk ({json_ms['changes']} changes) | p50 {fmt(json_ms['p50'], ' ms', 1)}, "
             f"p99 {fmt(json_ms['p99'], ' ms', 1)}, max {fmt(json_ms['max'], ' ms', 1)} ({json_ms['note']}) |",
             *([f"| control socket request → nowplaying.json on disk ({latency['json_socket_ms']['changes']} changes) | "
                f"p50 {fmt(latency['json_socket_ms']['p50'], ' ms', 1)}, p99 {fmt(latency['json_socket_ms']['p99'], ' ms', 1)}, "
                f"max {fmt(latency['json_socket_ms']['max'], ' ms', 1)} ({latency['json_socket_ms']['note']}) |"]
               if latency.get("json_socket_ms") else []),
             f"| `onair now` → new Vorbis comment in a listener's stream ({stream_ms['seen']}/{stream_ms['changes']} seen) | "
             f"p50 {fmt(stream_ms['p50'], ' ms', 0)}, max {fmt(stream_ms['max'], ' ms', 0)} (a fresh daemon, a change every 1.5 s) |"]
    flood = latency.get("stream_after_flood_ms")
    if flood:
        lines.append(f"| the same after the 400 rapid changes above ({flood['seen']}/{flood['changes']} seen) | "
                     f"p50 {fmt(flood['p50'], ' ms', 0)}, max {fmt(flood['max'], ' ms', 0)} (known: after a flood of "
                     "titles, a new title waits for the next pacing cycle until onaird reconnects; not yet explained) |")
    for status in ("200", "304"):
        rps = wrk[status]["requests_per_s"]
        lines.append(f"| nginx nowplaying.json, {status} answers (wrk, 2 threads, 64 connections, 10 s) | "
                     f"{rps:,.0f} req/s ≈ {rps * 5:,.0f} listeners polling every 5 s |")
    lines.append("")
    targets = [("`onair now` → nowplaying.json p99 ≤ 50 ms (ms)", json_ms["p99"], 50)]
    if latency.get("json_socket_ms"):
        targets.append(("control request → nowplaying.json p99 ≤ 50 ms (ms, daemon only)", latency["json_socket_ms"]["p99"], 50))
    if stream_ms["max"] is not None:
        targets.append(("title → listener's stream ≤ 1 s (max)", stream_ms["max"] / 1000, 1.0))
    return lines, targets


def extras_section():
    """Results of the benchmarks other helpers own (bench/extras.py), shown as they printed them."""
    lines = []
    for name, title in (("sse", "onair-api event stream fan-out (`bench/sse_fanout.py`)"),
                        ("formats", "MP3 / Opus outputs (`bench/formats_bench.py`)")):
        data = load(name)
        if data is None:
            continue
        lines += [f"## {title}", ""]
        if "error" in data:
            lines += [f"Not measured in this run: {data['error']}", ""]
        elif "output" in data:
            lines += ["```"] + data["output"] + ["```", ""]
        else:
            lines += ["```json", json.dumps(data, indent=2, sort_keys=True), "```", ""]
    return lines


def programme_section(data):
    """bench/programme_bench.py: the schedule source's loudness and crossfade, and a big library's first play."""
    if not data:
        return ["## Schedule source (`bench/run.py programme`)", "", "Not measured yet.", ""]
    plain, shaped = data["plain_cpu_s_per_audio_min"], data["shaped_cpu_s_per_audio_min"]
    ratio = data["ratio"]
    return [
        "## Schedule source (`bench/run.py programme`)", "",
        f"onaird ({data.get('binaries', 'release')} binaries), schedule source over a rotation of six tracks 12 dB apart in turns, "
        f"Ogg Vorbis q4 to a private Icecast, {data['window_s']} s windows in turns ({data['rounds']} round(s)), each after every "
        f"file's loudness was measured (once per file, then remembered) and 10 s more.", "",
        "| | CPU s per audio minute | ratio |", "|---|---|---|",
        f"| loudness off, gapless | {', '.join(f'{v:.2f}' for v in plain)} | 1.00 |",
        f"| loudness -16 LUFS, crossfade 2 s | {', '.join(f'{v:.2f}' for v in shaped)} | {ratio:.2f} {verdict(ratio <= 1.10)} (target <= 1.10) |", "",
        f"First play of a {data['library_files']:,}-file library (nothing measured yet): first audio at a listener "
        f"{data['first_audio_s']:.2f} s after onaird starts (measuring never delays the stream).", ""]


def soak_section(data):
    """bench/soak.py: a long run with listeners, titles and Icecast restarts."""
    if data is None:
        return ["## Soak", "", "Not measured yet: run `bench/run.py soak [--minutes 60]`.", ""]
    rss = data.get("rss_mb") or []
    per_minute = [(t, v) for t, v in rss if t % 60 < 10]
    growth = data.get("rss_growth_mb_per_hour_after_5_min")
    between = data.get("rss_growth_between_restarts_mb_per_hour")
    lines = [f"## Soak, {data['minutes']:g} minutes (`bench/run.py soak`)", "",
             f"{data['minutes']:g} minutes, {data.get('binaries', 'release')} binaries: a listener on /soak.ogg (Vorbis q4) "
             f"and on /soak.mp3 (128 kbit/s, ICY metadata), a title every {data['title_every']} s with `onair now`, "
             f"Icecast restarted {data['icecast_restarts']} times.", "",
             "| measure | Ogg listener | MP3 listener |", "|---|---|---|",
             f"| gaps at the restarts (s) | {fmt_list(data.get('ogg_restart_gaps'))} | {fmt_list(data.get('mp3_restart_gaps'))} |",
             f"| gaps > 1 s elsewhere | {len(data.get('ogg_gaps_outside_restarts', []))} | "
             f"{len(data.get('mp3_gaps_outside_restarts', []))} |",
             f"| titles seen in-band / set | {data['ogg_titles_seen']} / {data['titles_set']} | "
             f"{data['mp3_titles_seen']} / {data['titles_set']} |",
             f"| drift, decoded samples vs wall time (ppm) | {fmt_num(data.get('ogg_drift_ppm'))} | — |", "",
             f"onaird alive at the end: {'yes' if data['onaird_alive'] else '**no**'}. RSS growth after the first "
             f"5 minutes: {fmt_num(growth, 3)} MB/h fitted over everything (restart steps included); "
             f"**{fmt_num(between, 3)} MB/h** within the stretches between Icecast restarts "
             f"(limit 1 MB/h: {verdict(between is not None and between < 1)}).", "",
             "| minute | " + " | ".join(str(round(t / 60)) for t, _ in per_minute) + " |",
             "|---|" + "---|" * len(per_minute),
             "| onaird RSS (MB) | " + " | ".join(f"{v:.1f}" for _, v in per_minute) + " |", ""]
    if data.get("note"):
        lines += [data["note"], ""]
    return lines


def fmt_list(values):
    return ", ".join(f"{v:.1f}" for v in values) if values else "none"


def fmt_num(value, digits=0):
    return "—" if value is None else f"{value:.{digits}f}" if digits else f"{value:.0f}"


NOTES = """## How it is measured

- `make bench` = `python3 bench/run.py all`: installs the peers (Debian's Hugo, darkice, wrk, GNU time), builds
  release binaries in `.build-bench`, runs `site`, `stream`, `latency` and `extras` (the helpers' SSE fan-out
  and formats scripts when they exist), stores `bench/results/*.json` and writes this file. One part:
  `bench/run.py site|stream|latency|extras`; only rewrite this file: `bench/run.py report`; try the harness
  at small sizes: `--quick`.
- Generator: `bench/synth_station.py` writes the same N Markdown files (~600 words: headings, lists, links,
  emphasis, a code block, front matter) for OnAir and for a minimal Hugo site (plain baseof/single/list
  layouts). N counts 10 pages + N − 10 news posts: OnAir puts every page in every page's navigation (as a
  station wants for About/Contact), so a synthetic station with hundreds of pages would measure a menu no
  station has. Each build is timed with GNU time (wall, peak RSS); "touched" appends a line to one post.
  Output on tmpfs (`/dev/shm`) for the CPU comparison, on disk (`bench/work/`) for what a real build pays.
- Streaming: CPU seconds (user + system, `/proc/PID/stat`) over the window, per minute of audio; peak RSS is
  VmHWM, which counts every shared-library page the process touched (Swift runtime, Foundation, ICU data)
  although those pages are shared with every other Swift process on the box: the memory table below splits
  it. A listener fetches each mount mid-window and `ogginfo` must accept it.
- Profiling: valgrind 3.19 (Debian 12) cannot read the DWARF 5 the Swift 6 toolchain emits (it aborts, also
  with `strip --strip-debug`), so the generator was profiled with `perf record -g` at N = 1 000 and 10 000;
  before/after figures of a fix come from the same-run timings and the byte-identical output.
- Soak (`bench/run.py soak [--minutes 60]`, 5 minutes in `all`; `--bin-dir DIR` to soak other binaries than
  the release build): onaird with a Vorbis and an MP3 output, a reconnecting listener on each, a title every
  30 s, Icecast restarted at 1/3 and 2/3 of the run. Gaps are stretches over 1.5 s without bytes; drift is the
  least-squares slope of decoded samples (Ogg granule positions summed over the chained streams) against
  wall time over each connection past its first 15 s (its burst); memory is VmRSS every 10 s. Memory
  allocations were traced with `heaptrack` (Debian 12), which reads the Swift toolchain's DWARF.

"""


def write_report():
    env = load("environment") or {}
    lines = ["# OnAir benchmarks", "",
             "Produced by `make bench` (`bench/run.py`); raw numbers in `bench/results/`. Every peer is measured "
             "in the same run on the same machine, so the ratios matter more than the absolute figures. "
             "The machine is shared and noisy: read the min–max spread before a median.", "",
             "## Machine and versions", ""]
    lines += [f"- {key}: {value}" for key, value in sorted(env.items())] + [""]
    lines += NOTES.splitlines()
    all_targets = []
    for name, section in (("site", site_section), ("stream", stream_section), ("latency", latency_section)):
        data = load(name)
        if data is None:
            lines += [f"## {name}", "", "Not measured yet: run `bench/run.py " + name + "`.", ""]
            continue
        body, targets = section(data)
        lines += body
        all_targets += targets
    lines += extras_section()
    lines += programme_section(load("programme"))
    lines += soak_section(load("soak-10min")) if load("soak-10min") else []
    lines += soak_section(load("soak"))
    if all_targets:
        lines += ["## Targets", "", "| target | measured | limit | |", "|---|---|---|---|"]
        lines += [f"| {name} | {value:.3f} | {limit} | {verdict(value <= limit)} |" for name, value, limit in all_targets]
        lines.append("")
    (ROOT / "bench" / "BENCHMARKS.md").write_text("\n".join(lines))
