/* OnAir player: play/stop with self-healing reconnects, volume, now-playing polling, share text,
   Media Session. No framework. Every string from nowplaying.json goes in with textContent only. */
(function () {
  "use strict";
  var t = window.onairText;
  var player = document.getElementById("player");
  var audio = document.getElementById("player-audio");
  if (!player || !audio) return;

  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    button: $("play-button"), controls: $("player-controls"), state: $("player-state"),
    mute: $("mute-button"), volume: $("volume"), badge: $("np-badge"), listeners: $("np-listeners"),
    label: $("np-label"), title: $("np-title"), artist: $("np-artist"), announce: $("np-announce"),
    showBox: $("np-show-box"), show: $("np-show"), hostWrap: $("np-host-wrap"), host: $("np-host"),
    showTime: $("np-show-time"), nextBox: $("np-next-box"), next: $("np-next"), nextTime: $("np-next-time"),
    historyBox: $("np-history-box"), history: $("np-history")
  };
  var stationName = player.getAttribute("data-station") || document.title;
  // The <source>s this browser can play, in the page's order of preference (Opus, Vorbis, MP3), else
  // the MP3 fallback. A reconnect moves on to the next one, so one mount being down does not silence us.
  var candidates = Array.prototype.filter.call(audio.querySelectorAll("source"), function (source) {
    return source.type && audio.canPlayType(source.type);
  }).map(function (source) { return source.getAttribute("src"); });
  if (!candidates.length) candidates = [audio.getAttribute("data-stream") || audio.getAttribute("src")];
  var candidate = 0;
  var streamURL = candidates[0];
  var feedURL = player.getAttribute("data-nowplaying") || "/nowplaying.json";
  var fallback = { title: ui.title.textContent, artist: ui.artist.textContent, doc: document.title };
  var artwork = player.getAttribute("data-artwork") || (document.querySelector('meta[property="og:image"]') || {}).content ||
    (document.querySelector('link[rel="icon"]') || {}).href || "";

  /* ---------- playback ---------- */
  var wantPlay = false, retryTimer = 0, retries = 0, lastTime = -1, lastProgress = 0, stalled = false;

  function setState(text, busy) {
    ui.state.textContent = text;
    player.classList.toggle("is-busy", !!busy);
  }
  function setPlaying(on) {
    player.classList.toggle("is-playing", on);
    ui.button.setAttribute("aria-pressed", on ? "true" : "false");
    ui.button.setAttribute("aria-label", on ? t("stop_station", "Stop {station}", { station: stationName }) : t("play_station", "Play {station}", { station: stationName }));
    if ("mediaSession" in navigator) navigator.mediaSession.playbackState = on ? "playing" : "paused";
  }
  function freshURL() {
    return streamURL + (streamURL.indexOf("?") < 0 ? "?" : "&") + "t=" + Date.now();
  }
  function start() {
    clearTimeout(retryTimer);
    wantPlay = true;
    setPlaying(true);
    setState(retries ? t("reconnecting", "Reconnecting…") : t("connecting", "Connecting…"), true);
    lastProgress = Date.now(); lastTime = -1; stalled = false;
    audio.src = freshURL();
    var attempt = audio.play();
    if (attempt && attempt.catch) attempt.catch(function (error) {
      if (!wantPlay) return;
      if (error && error.name === "NotAllowedError") { stop(); setState(t("press_play", "Press play to listen")); return; }
      reconnect();
    });
  }
  function stop() {
    wantPlay = false; retries = 0;
    clearTimeout(retryTimer);
    audio.pause();
    audio.removeAttribute("src");
    audio.load(); // drops the connection, so the stream does not keep downloading
    setPlaying(false);
    setState(t("stopped", "Stopped"));
  }
  function reconnect() {
    if (!wantPlay || retryTimer) return;
    var delay = Math.min(30, Math.pow(2, retries)); // 1, 2, 4, 8, 16, 30 s
    retries += 1;
    candidate = (candidate + 1) % candidates.length;
    streamURL = candidates[candidate];
    player.classList.add("is-reconnecting");
    setState(t("reconnecting_in", "Reconnecting… (retry in {seconds} s)", { seconds: delay }), true);
    audio.removeAttribute("src");
    audio.load();
    retryTimer = setTimeout(function () { retryTimer = 0; if (wantPlay) start(); }, delay * 1000);
  }
  function onTrouble() { if (wantPlay) reconnect(); }

  audio.addEventListener("playing", function () {
    retries = 0;
    player.classList.remove("is-reconnecting");
    setState(t("playing", "Playing"));
  });
  audio.addEventListener("waiting", function () { if (wantPlay && !retryTimer) setState(t("buffering", "Buffering…"), true); });
  audio.addEventListener("error", function () { if (audio.getAttribute("src")) onTrouble(); });
  // "stalled" also fires on slow but healthy connections: act only if playback stops advancing.
  audio.addEventListener("stalled", function () { stalled = true; });
  audio.addEventListener("ended", onTrouble);
  audio.addEventListener("pause", function () {
    // Paused from outside (media keys, OS): treat as stop so we don't reconnect against the user.
    if (wantPlay && !retryTimer && audio.getAttribute("src") && !audio.ended && !audio.error) stop();
  });
  audio.addEventListener("timeupdate", function () {
    if (audio.currentTime !== lastTime) { lastTime = audio.currentTime; lastProgress = Date.now(); stalled = false; }
  });
  // Watchdog: a live stream that stops advancing is stuck (5 s after "stalled", else 12 s).
  setInterval(function () {
    var still = Date.now() - lastProgress;
    if (wantPlay && !retryTimer && (still > 12000 || (stalled && still > 5000))) reconnect();
  }, 1000);

  ui.button.addEventListener("click", function () { if (wantPlay) stop(); else { retries = 0; start(); } });

  /* ---------- volume ---------- */
  function store(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode */ } }
  function load(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function showVolume() {
    var muted = audio.muted || audio.volume === 0;
    player.classList.toggle("is-muted", muted);
    ui.mute.setAttribute("aria-pressed", muted ? "true" : "false");
    ui.mute.setAttribute("aria-label", muted ? t("unmute", "Unmute") : t("mute", "Mute"));
    ui.volume.setAttribute("aria-valuetext", muted ? t("muted", "muted") : Math.round(audio.volume * 100) + "%");
  }
  var savedVolume = parseInt(load("onair.volume"), 10);
  if (savedVolume >= 0 && savedVolume <= 100) ui.volume.value = String(savedVolume);
  audio.volume = ui.volume.value / 100;
  audio.muted = load("onair.muted") === "1";
  ui.volume.addEventListener("input", function () {
    audio.volume = ui.volume.value / 100;
    if (audio.muted && audio.volume > 0) audio.muted = false;
    store("onair.volume", ui.volume.value); store("onair.muted", audio.muted ? "1" : "0");
    showVolume();
  });
  ui.mute.addEventListener("click", function () {
    audio.muted = !audio.muted;
    store("onair.muted", audio.muted ? "1" : "0");
    showVolume();
  });
  showVolume();

  // With JS the custom controls replace the browser's; without it, <audio controls> still plays.
  audio.removeAttribute("controls");
  audio.removeAttribute("src");
  audio.hidden = true;
  ui.button.hidden = false;
  ui.controls.hidden = false;

  /* ---------- media session ---------- */
  if ("mediaSession" in navigator) {
    try {
      navigator.mediaSession.setActionHandler("play", function () { if (!wantPlay) start(); });
      navigator.mediaSession.setActionHandler("pause", stop);
      navigator.mediaSession.setActionHandler("stop", stop);
    } catch (e) { /* an action this browser does not know */ }
  }
  function mediaMetadata(title, artist) {
    if (!("mediaSession" in navigator) || typeof MediaMetadata === "undefined") return;
    navigator.mediaSession.metadata = new MediaMetadata({
      title: title, artist: artist, album: stationName,
      artwork: artwork ? [{ src: artwork, sizes: "512x512" }] : []
    });
  }

  /* ---------- now playing ---------- */
  var interval = 5, pollTimer = 0, failures = 0, lastDoc = null, lastSong = null, skew = 0;
  var timeFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { hour: "numeric", minute: "2-digit" });
  var dayFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { weekday: "short", hour: "numeric", minute: "2-digit" });

  function text(el, value) { if (el) el.textContent = value == null ? "" : String(value); }
  function str(value) { return typeof value === "string" ? value : ""; }
  function when(iso, withDay) {
    var t = Date.parse(iso);
    if (isNaN(t)) return "";
    var sameDay = new Date(t).toDateString() === new Date().toDateString();
    return (withDay && !sameDay ? dayFormat : timeFormat).format(new Date(t));
  }
  function safeHref(url) {
    url = str(url);
    return /^\/(?!\/)/.test(url) || /^https?:\/\//i.test(url) ? url : null;
  }
  function link(el, slot) {
    text(el, slot.title);
    var href = safeHref(slot.url);
    if (href) el.setAttribute("href", href); else el.setAttribute("href", "/schedule/");
  }
  function stale(doc) {
    var updated = Date.parse(doc && doc.updated_at);
    if (isNaN(updated)) return true;
    return Date.now() + skew - updated > 3 * interval * 1000;
  }

  function showUnknown() {
    player.setAttribute("data-state", "unknown");
    ui.badge.setAttribute("data-state", "unknown");
    text(ui.badge, t("status_unknown", "Status unknown"));
    text(ui.label, t("live_stream", "Live stream"));
    text(ui.title, fallback.title);
    text(ui.artist, t("cant_tell", "We can't tell what's on right now."));
    ui.listeners.hidden = true;
    ui.showBox.hidden = true;
    ui.nextBox.hidden = true;
    if (ui.historyBox) ui.historyBox.hidden = true;
    document.title = fallback.doc;
    lastSong = null;
  }

  /* ---------- titles in sync with the ears ----------
     The listener hears the stream seconds behind the moment a title's started_at is stamped: what
     the browser holds beyond its playhead (Icecast's burst, the network), plus the way from the
     daemon through Icecast (PIPELINE, measured with onaird + Icecast 2.4.4 + Chromium: docs/LISTENER.md).
     A new title (text, document title, Media Session, live region) shows at its started_at (the
     server's clock moved to ours with `skew`; whole seconds, so + 0.5 s) plus that delay. */
  var PIPELINE = 2.3, heard = null, songTimer = 0, aheadSamples = [];
  function sampleAhead() {
    if (!audio.buffered || audio.buffered.length === 0 || audio.paused) return;
    var ahead = audio.buffered.end(audio.buffered.length - 1) - audio.currentTime;
    if (ahead >= 0 && ahead < 120) { aheadSamples.push(ahead); if (aheadSamples.length > 40) aheadSamples.shift(); }
  }
  audio.addEventListener("timeupdate", sampleAhead);
  audio.addEventListener("progress", sampleAhead);
  function listenerDelay() {
    if (!wantPlay || audio.paused || aheadSamples.length === 0) return 0;
    var sorted = aheadSamples.slice().sort(function (a, b) { return a - b; });
    return sorted[Math.floor(sorted.length / 2)] + PIPELINE;  // the median: the buffer breathes with each packet
  }
  function heardNow(np) {
    if (!np || !heard || str(np.started_at) === str(heard.started_at)) { heard = np; return np; }
    var started = Date.parse(str(np.started_at));
    var due = isNaN(started) ? 0 : started + 500 - skew + listenerDelay() * 1000;
    var wait = due - Date.now();
    if (wait <= 50) { heard = np; return np; }
    clearTimeout(songTimer);
    songTimer = setTimeout(function () { songTimer = 0; if (lastDoc) render(lastDoc); }, Math.min(wait, 120000));
    return heard;
  }
  window.onairListenerDelay = listenerDelay; // seconds; for the title-sync test and curious listeners

  function render(doc) {
    if (stale(doc)) { showUnknown(); return; }
    var live = doc.live && doc.live.is_live === true;
    var online = doc.online === true;
    var state = !online ? "offline" : live ? "live" : "onair";
    player.setAttribute("data-state", state);
    ui.badge.setAttribute("data-state", state);
    text(ui.badge, state === "live" ? t("live", "Live") + (str(doc.live.streamer) ? ": " + doc.live.streamer : "")
      : state === "onair" ? t("on_air", "On air") : t("off_air", "Off air"));

    var np = heardNow(doc.now_playing && typeof doc.now_playing === "object" ? doc.now_playing : null);
    var title = np ? str(np.title) || str(np.text) : "";
    var artist = np ? str(np.artist) : "";
    if (!online) {
      text(ui.label, t("live_stream", "Live stream"));
      text(ui.title, fallback.title);
      text(ui.artist, t("off_air_text", "The stream is off air right now. Check the schedule."));
    } else {
      text(ui.label, live ? t("live_now", "Live now") : t("now_playing", "Now playing"));
      text(ui.title, title || fallback.title);
      text(ui.artist, title ? artist : fallback.artist);
    }

    var count = doc.listeners && typeof doc.listeners.current === "number" ? doc.listeners.current : null;
    ui.listeners.hidden = count === null || !online;
    text(ui.listeners, count === 1 ? t("one_listener", "1 listener") : t("listeners", "{count} listeners", { count: count || 0 }));

    var show = doc.show && typeof doc.show === "object" ? doc.show : null;
    ui.showBox.hidden = !show;
    if (show) {
      link(ui.show, show);
      text(ui.host, show.host);
      ui.hostWrap.hidden = !str(show.host);
      text(ui.showTime, show.ends_at ? t("until", "until {time}", { time: when(show.ends_at, true) }) : "");
    }
    var next = doc.next_show && typeof doc.next_show === "object" ? doc.next_show : null;
    ui.nextBox.hidden = !next;
    if (next) {
      link(ui.next, next);
      text(ui.nextTime, (str(next.host) ? t("with_host", "with {host},", { host: next.host }).trim() + " " : "") + when(next.starts_at, true));
    }

    var history = Array.isArray(doc.history) ? doc.history.slice(0, 10) : [];
    if (ui.historyBox) ui.historyBox.hidden = history.length === 0;
    while (ui.history.firstChild) ui.history.removeChild(ui.history.firstChild);
    history.forEach(function (item) {
      if (!item || typeof item !== "object") return;
      var li = document.createElement("li");
      var time = document.createElement("time");
      time.setAttribute("datetime", str(item.played_at));
      text(time, when(item.played_at, false));
      var what = document.createElement("span");
      what.className = "history-song";
      var t = document.createElement("span");
      t.className = "history-title";
      text(t, str(item.title) || str(item.text));
      what.appendChild(t);
      if (str(item.artist)) {
        var a = document.createElement("span");
        a.className = "history-artist";
        text(a, item.artist);
        what.appendChild(a);
      }
      li.appendChild(time);
      li.appendChild(what);
      ui.history.appendChild(li);
    });

    var song = online && title ? (artist ? artist + " – " + title : title) : null;
    if (song !== lastSong) {
      if (song) {
        text(ui.announce, t("now_playing_announce", "Now playing: {song}", { song: song }));
        document.title = song + " · " + stationName;
        mediaMetadata(title, artist || stationName);
        updateShare(song);
      } else {
        document.title = fallback.doc;
        mediaMetadata(stationName, "");
        updateShare(null);
      }
      lastSong = song;
    }
  }

  function schedule(seconds) {
    clearTimeout(pollTimer);
    pollTimer = 0;
    if (document.hidden || pushOpen) return; // resumes on visibilitychange / when the push stream closes
    pollTimer = setTimeout(poll, seconds * 1000);
  }
  function poll() {
    pollTimer = 0;
    // cache: "no-cache" makes the browser revalidate with If-None-Match / If-Modified-Since, so an
    // unchanged file costs a 304.
    fetch(feedURL, { cache: "no-cache", credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        var date = Date.parse(response.headers.get("Date") || "");
        if (!isNaN(date)) skew = date - Date.now();
        if (Math.abs(skew) < 2000) skew = 0; // the header has one-second resolution
        return response.json();
      })
      .then(function (doc) {
        if (!accept(doc)) throw new Error("not a now-playing document");
        failures = 0;
        schedule(Math.min(Math.max(interval, 2), 60));
      })
      .catch(function () {
        failures += 1;
        lastDoc = null;
        showUnknown();
        schedule(Math.min(60, interval * Math.pow(2, Math.min(failures, 4)))); // back off on errors
      });
  }
  function accept(doc) {
    if (!doc || typeof doc !== "object" || doc.schema !== 1) return false;
    var wanted = Number(doc.interval);
    interval = wanted >= 1 && wanted <= 3600 ? wanted : 5;
    lastDoc = doc;
    render(doc);
    return true;
  }
  // With onair-api present, chat.js relays its event stream: documents arrive the moment they
  // change, and polling rests while that stream is open.
  var pushOpen = false;
  window.addEventListener("onair:nowplaying", function (event) { accept(event.detail); });
  window.addEventListener("onair:push", function (event) {
    var open = !!(event.detail && event.detail.open);
    if (open === pushOpen) return;
    pushOpen = open;
    if (open) { clearTimeout(pollTimer); pollTimer = 0; } else if (!pollTimer && !document.hidden) poll();
  });
  // Staleness is judged on the clock too, not only when a fetch returns.
  setInterval(function () { if (lastDoc && stale(lastDoc)) showUnknown(); }, 1000);
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { clearTimeout(pollTimer); pollTimer = 0; } else if (!pollTimer) poll();
  });

  /* ---------- share ---------- */
  var shareBox = document.querySelector("[data-share-text]");
  var shareBase = shareBox ? shareBox.getAttribute("data-share-text") : "";
  var shareURL = shareBox ? shareBox.getAttribute("data-share-url") : location.href;
  var shareLinks = [];
  document.querySelectorAll("a[data-share]").forEach(function (a) {
    shareLinks.push({ el: a, href: a.getAttribute("href") });
  });
  var currentShareText = shareBase;
  function updateShare(song) {
    var next = song ? t("listening_to", "Listening to {song} on {station}", { song: song, station: stationName }) : shareBase;
    shareLinks.forEach(function (item) {
      // Replace the share text inside any query parameter that carries it; other parameters stay.
      var parts = item.href.split("?");
      if (parts.length < 2 || !shareBase) return;
      var query = parts.slice(1).join("?").split("&").map(function (pair) {
        var eq = pair.indexOf("=");
        if (eq < 0) return pair;
        var raw = pair.slice(eq + 1), value;
        try { value = decodeURIComponent(raw.replace(/\+/g, " ")); } catch (e) { return pair; }
        if (value.indexOf(shareBase) < 0) return pair;
        return pair.slice(0, eq + 1) + encodeURIComponent(value.split(shareBase).join(next));
      });
      item.el.setAttribute("href", parts[0] + "?" + query.join("&"));
    });
    currentShareText = next;
  }
  var copyButton = document.querySelector("[data-share-copy]");
  if (copyButton) copyButton.addEventListener("click", function () {
    var done = function (ok) {
      var old = copyButton.getAttribute("data-label") || copyButton.textContent;
      copyButton.setAttribute("data-label", old);
      copyButton.textContent = ok ? t("link_copied", "Link copied") : t("copy_failed", "Copy failed");
      setTimeout(function () { copyButton.textContent = old; }, 2000);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(shareURL).then(function () { done(true); }, function () { done(false); });
    } else done(false);
  });
  var nativeButton = document.querySelector("[data-share-native]");
  if (nativeButton && navigator.share) {
    nativeButton.hidden = false;
    nativeButton.addEventListener("click", function () {
      navigator.share({ title: stationName, text: currentShareText, url: shareURL }).catch(function () {});
    });
  }

  poll();
})();
