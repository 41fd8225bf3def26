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
        f"| loudness -16 LUFS, crossfade 2 s | {', '.join(f'{v:.2f}' for v in shaped)} | {ratio:.3f} {verdict(ratio <= 1.10)} (target <= 1.10) |", "",
        "Most of the difference is the crossfade itself: for 2 s of every track two files are decoded at once, "
        f"so with these {data.get('track_s', 30)} s tracks there is {2 / data.get('track_s', 30):.1%} more to decode (with 3.5-minute songs, 1 %); "
        "the gain is one multiplication a sample.", "",
        f"First play of a {data['library_files']:,}-file library (nothing measured yet): first audio at a listener "
        f"{data['first_audio_s']:.2f} s after onaird starts (measuring never delays the stream).", ""]


def recording_section(data):
    """bench/recording_bench.py: what recording every airing costs onaird, and the build with 2 000 recordings."""
    title = "## Listen again: recording and building (`bench/run.py recording`)"
    if not data:
        return [title, "", "Not measured yet.", ""]
    alone, recorded, ratio = data["alone_cpu_s_per_audio_min"], data["recording_cpu_s_per_audio_min"], data["ratio"]
    none, many = data["build_none"], data["build_recordings"]
    lines = [
        title, "",
        f"onaird ({data.get('binaries', 'release')} binaries{', --quick' if data.get('quick') else ''}), schedule source "
        f"over a rotation, Ogg Opus 96 kbit/s to a private Icecast, {data['window_s']} s windows in turns "
        f"({data['rounds']} round(s)); with `record:` opus 96 (the output's format) every airing is written too. "
        "The recorder takes the output's Opus packets and writes them into its own Ogg stream (no second "
        "encode; it encodes for itself only while the output gives nothing); the daemon's log said "
        f"`record.encoder={', '.join(data.get('recorder_encoder') or ['(not recorded)'])}`.", "",
        "| | CPU s per audio minute | ratio |", "|---|---|---|",
        f"| streaming alone | {', '.join(f'{v:.2f}' for v in alone)} | 1.00 |",
        f"| streaming + recording | {', '.join(f'{v:.2f}' for v in recorded)} | {ratio:.2f} {verdict(ratio <= 1.05)} (target <= 1.05) |", "",
        f"`onair build` of the example station, wall seconds, median (min–max):", "",
        f"| build | no recordings | {data['recordings']:,} recordings |", "|---|---|---|"]
    for name in ("cold", "nochange"):
        lines.append(f"| {name} | {spread(none[name])} | {spread(many[name])} |")
    if "one_new" in many:
        lines.append(f"| one new recording | — | {spread(many['one_new'])} |")
    lines += ["", "The cold build with recordings also draws every show's podcast cover once (a 3000 px PNG from "
              "`Templates/podcast.svg`, about 0.5 CPU-s each with librsvg and zlib, on both cores): most of the "
              "difference to the build without (0.71 s before the covers existed). Covers already published are "
              "kept, so no later build draws them again."]
    return lines + [""]


LIVE_MOUNTS = ("/radio.opus", "/radio.ogg", "/radio.mp3")


def live_section(data):
    """bench/live_bench.py: a DJ on /dj heard on every output; the delays and what being live costs onaird."""
    title = "## A live DJ on every mount (`bench/run.py live`)"
    if not data:
        return [title, "", "Not measured yet: run `bench/run.py live`.", ""]
    bursts = data["bursts"]

    def cells(values, plus=0.0):
        return " | ".join(spread({k: v + plus if k in ("median", "min", "max") else v for k, v in values[m].items()})
                          if values.get(m) else "n/a" for m in LIVE_MOUNTS)

    def heard(values):
        return " | ".join(fmt(values[m]["median"] + bursts[m]["seconds"], "s") if values.get(m) else "n/a"
                          for m in LIVE_MOUNTS)

    runs = len(data["runs"])
    lines = [
        title, "",
        f"onaird ({data.get('binaries', 'release')} binaries{', --quick' if data.get('quick') else ''}"
        f"{', run ' + data['date'] if data.get('date') else ''}) with three outputs "
        "(Opus 96 kbit/s, Vorbis q4, MP3 128 kbit/s) and `live: { mount: /dj }` (jitter buffer 2 s, fade 1 s), a private "
        "Icecast 2.4.4 on 127.0.0.1 (burst 64 KB, Debian's default), one listener per mount connected throughout "
        "(HTTP, decoded by ffmpeg as the bytes arrive). The programme is a 440 Hz tone, the DJ ffmpeg sending 880 Hz, "
        "then 1320 Hz as the marker, both with a little noise; "
        f"{runs} connections in turns with the DJ sending Ogg Vorbis 128k, Ogg Opus 96k and MP3 128k. Seconds, median "
        "(min–max) over all connections. \"In the stream\": when the audio arrived at the listener; a player that "
        "joined the stream plays Icecast's burst first, so it hears everything that much later (\"heard\", the burst "
        "measured below added to the median).", "",
        "| | " + " | ".join(f"`{m}`" for m in LIVE_MOUNTS) + " |", "|---|---|---|---|",
        f"| DJ connects → the fade begins, in the stream | {cells(data['fade_begins'])} |",
        f"| DJ connects → the DJ is the louder, in the stream | {cells(data['dj'])} |",
        f"| … heard by a player that joined with the burst | {heard(data['dj'])} |",
        f"| DJ-to-listener delay (the 1320 Hz marker), in the stream | {cells(data['marker'])} |",
        f"| … heard by a player that joined with the burst | {heard(data['marker'])} |",
        f"| DJ hangs up → the programme is the louder, in the stream | {cells(data['programme'])} |",
        *([f"| the DJ's last seconds that never reach listeners (delay − last DJ sound after hanging up) | "
           f"{cells(data['dj_tail_lost'])} |"] if data.get("dj_tail_lost") else []),
        f"| Icecast's burst to a new listener (bytes, s of audio, stream kbit/s) | " + " | ".join(
            f"{bursts[m]['bytes']:,} B, {bursts[m]['seconds']:.2f} s, {bursts[m]['kbit_s']:.0f}" for m in LIVE_MOUNTS) + " |",
        "",
        f"In nowplaying.json (polled every 20 ms): live {spread(data['nowplaying_live'])} after the DJ connected, "
        f"cleared {spread(data['nowplaying_back'])} after the DJ's ffmpeg exited. The DJ's ffmpeg connected "
        f"{spread(data['connect_after_launch'])} after it started.", "",
        "DJ-to-listener delay by what the DJ sends (the marker's arrival at a listener of Icecast's /dj, which is "
        "what onaird reads, beside its arrival at the listeners of the outputs):", "",
        "| DJ sends | at `/dj` (onaird's input) | " + " | ".join(f"`{m}`" for m in LIVE_MOUNTS) + " |",
        "|---|---|---|---|---|"]
    names = {"vorbis": "Ogg Vorbis 128k", "opus": "Ogg Opus 96k", "mp3": "MP3 128k"}
    for codec in data["dj_codecs"]:
        at = data["marker_at_icecast_by_dj_codec"].get(codec)
        lines.append(f"| {names.get(codec, codec)} | {spread(at) if at else 'n/a'} | {cells(data['marker_by_dj_codec'][codec])} |")
    lines.append("")

    cpu = data["cpu"]
    floors = cpu["floors"]
    encode, whole = cpu["encode_floor_sum"], cpu["live_floor_sum"]
    programme, live = cpu["onaird_programme_cpu_s_per_audio_min"], cpu["onaird_live_cpu_s_per_audio_min"]
    mean_programme, mean_live = sum(programme) / len(programme), sum(live) / len(live)
    relay = cpu.get("ffmpeg_relay_cpu_s_per_audio_min")
    lines += [
        f"CPU seconds per audio minute (user + system, /proc) over {cpu['window_s']} s windows in turns "
        f"({cpu['rounds']} round(s)) of the same onaird: playing the programme (a WAV playlist of music-like audio) with "
        "no DJ, and with a DJ sending that audio as Ogg Vorbis 128 kbit/s to /dj (onaird decodes it and encodes the "
        f"three outputs; the programme is not read). Floors: the three encoders and `oggdec` on {cpu['audio_minutes']} "
        "minute(s) of the same audio, to files, flat out.", "",
        "| process | CPU s / audio min | ratio |", "|---|---|---|"]
    names = {"oggenc_q4": "oggenc -q 4", "lame_b128": "lame -b 128", "opusenc_96": "opusenc --bitrate 96"}
    for key, name in names.items():
        lines.append(f"| {name} | {floors[key]['cpu_s_per_audio_min']:.3f} | |")
    lines += [
        f"| **encode floor**: the three | {encode:.3f} | 1.00 |",
        f"| oggdec of the DJ's stream | {floors['oggdec_dj']['cpu_s_per_audio_min']:.3f} | |",
        f"| **live floor**: decode + the three encodes | {whole:.3f} | 1.00 |",
        f"| onaird, programme, no DJ | {', '.join(f'{v:.3f}' for v in programme)} | "
        f"{mean_programme / encode:.2f}× the encode floor |",
        f"| onaird, DJ live (decode + three encodes) | {', '.join(f'{v:.3f}' for v in live)} | "
        f"**{mean_live / whole:.2f}× the live floor**; {mean_live / mean_programme:.2f}× onaird with no DJ |"]
    if relay:
        lines.append(f"| ffmpeg reading /dj and sending the same three streams | {relay:.3f} | {relay / whole:.2f}× the live "
                     f"floor; onaird live / ffmpeg = {mean_live / relay:.2f} |")
    if cpu.get("onaird_peak_rss_mb"):
        lines += ["", f"onaird's peak RSS over the CPU windows: {cpu['onaird_peak_rss_mb']:.1f} MB."]
    lines += ["", live_notes(data), ""]
    return lines


def live_notes(data):
    """What the live figures are made of, with this run's numbers."""
    mp3, ogg = "/radio.mp3", "/radio.ogg"

    def median(table, mount=mp3):
        return (table.get(mount) or {}).get("median")

    shares = {}  # per DJ codec: onaird's share of each connection's delay (MP3 listener less the /dj listener)
    for row in data["runs"]:
        marker = row["mounts"][mp3].get("marker")
        if marker is not None and row.get("marker_at_icecast") is not None:
            shares.setdefault(row["codec"], []).append(marker - row["marker_at_icecast"])
    share_text = "; ".join(f"{codec} DJ {min(v):.2f}–{max(v):.2f} s" for codec, v in shares.items())
    at_dj = {codec: at["median"] for codec, at in data["marker_at_icecast_by_dj_codec"].items() if at}
    bursts = [b["seconds"] for b in data["bursts"].values()]
    cpu = data["cpu"]
    live = sum(cpu["onaird_live_cpu_s_per_audio_min"]) / len(cpu["onaird_live_cpu_s_per_audio_min"])
    programme = sum(cpu["onaird_programme_cpu_s_per_audio_min"]) / len(cpu["onaird_programme_cpu_s_per_audio_min"])
    decode = cpu["floors"]["oggdec_dj"]["cpu_s_per_audio_min"]
    return f"""What the figures are made of:

- **DJ connects → on air.** onaird opens /dj as a listener once a second, so it sees the DJ 0–1 s after they
  connect, and gets from Icecast what the DJ has sent so far; it goes on air once its **jitter buffer holds 2 s**
  of the DJ's audio with sound in it. The DJ sends in real time from the moment they connect, so filling the
  buffer is what takes the time and the poll is hidden in it: nowplaying.json says live
  {fmt(data['nowplaying_live']['median'])} s after the connection, and the fade starts on the outputs at that
  moment (MP3: {fmt(median(data['fade_begins']))} s). The **fade** (1 s, equal power) makes the DJ the louder
  half-way through: {fmt(median(data['dj']))} s.
- **DJ-to-listener, steady**: the DJ's way to Icecast (the marker at a listener of /dj:
  {', '.join(f'{codec} {fmt(value)} s' for codec, value in at_dj.items())}; Icecast forwards an Ogg Vorbis
  source in half-second pages, hence the Vorbis DJ's lag) plus onaird's share, the marker at the MP3 listener
  less its arrival at /dj, per connection: {share_text}. That is the 2 s jitter buffer: onaird fills it to 2 s
  from what has arrived when it goes on air and then plays it at the wall clock's pace. A DJ whose stream
  arrives in half-second clumps (Ogg Vorbis through Icecast) leaves the buffer anywhere in a half second
  around 2 s, depending on where the going-live fell between two clumps.
- **The Ogg mounts at a switch.** Going live and handing back change the title, so the Opus and Vorbis outputs
  start a new chained Ogg stream, and the first half second of a new stream can reach listeners in one piece,
  half a second late (onaird's Opus pages hold 0.5 s, libopusenc's muxing delay of 24 000 samples; Icecast
  re-pages a Vorbis source every half second). In this run the Vorbis mount got the fade's first half
  together with its middle (the fade "begins" at the DJ-louder moment: {fmt(median(data['fade_begins'], ogg))} s
  against {fmt(median(data['fade_begins']))} s on MP3), and on both Ogg mounts the programme was back
  {fmt(median(data['programme'], ogg))} s after the DJ hung up against {fmt(median(data['programme']))} s on MP3.
  A player with the burst in hand plays the stream smoothly through it; only the moment moves.
- **A player** that joined the stream plays Icecast's burst first (64 KB: {min(bursts):.1f}–{max(bursts):.1f} s of
  audio at these rates) and stays that far behind the live edge for as long as it listens: the DJ is heard
  {fmt(min(median(data['dj'], m) + data['bursts'][m]['seconds'] for m in LIVE_MOUNTS))}–\
{fmt(max(median(data['dj'], m) + data['bursts'][m]['seconds'] for m in LIVE_MOUNTS))} s after connecting, and a DJ
  checking themselves on the site hears their own audio ~2 s + the burst after sending. Most of that is Icecast's
  `<burst-size>`; a smaller one shortens it for every listener at the cost of a less robust start.
- **DJ hangs up.** onaird airs what is still in the jitter buffer and fades back to the programme over its last
  second (`fade`), so the DJ is heard to their last word: the programme is the louder
  {fmt(median(data['programme']))} s after the hang-up (MP3 listener), and the part of the DJ's last sound that
  never reached a listener is {fmt(median(data['dj_tail_lost']) if data.get('dj_tail_lost') else None)} s (median, MP3 listener).
- **CPU.** The three encoders are the bulk of the work either way. While live, onaird reads and decodes the DJ's
  Ogg Vorbis instead of reading the WAV: {live - programme:+.2f} CPU s per audio minute ({live / programme:.2f}× the
  programme), where `oggdec` needs {decode:.2f} to decode the same stream flat out; the rest of the difference is
  the live input's own work (HTTP, Ogg, the jitter buffer) and this machine's noise between windows.
  ffmpeg doing the same job (reading /dj, three encodes, three Icecast connections) used
  {fmt(cpu.get('ffmpeg_relay_cpu_s_per_audio_min'), '', 2)} CPU s per audio minute."""



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
    lines += recording_section(load("recording"))
    lines += live_section(load("live"))
    lines += soak_section(load("soak-10min")) if load("soak-10min") else []
    lines += soak_section(load("soak"))
    if all_targets:
        lines += ["## Targets", "", "| target | measured | limit | |", "|---|---|---|---|"]
        lines += [f"| {name} | {value:.3f} | {limit} | {verdict(value <= limit)} |" for name, value, limit in all_targets]
        lines.append("")
    (ROOT / "bench" / "BENCHMARKS.md").write_text("\n".join(lines))
