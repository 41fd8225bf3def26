/* The player widget (/embed/): play/stop, what is on (from nowplaying.json, inserted with
   textContent), and the live badge. The <audio controls> plays without it. */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var root = document.querySelector("[data-nowplaying]"), audio = $("embed-audio"), button = $("embed-play");
  if (!root || !audio || !button) return;
  /* The page's fixed texts in the station's language (<meta name="onair-strings">, from
     Templates/strings/<language>.yaml); the English ones are the fallback. */
  var texts = (function () {
    var meta = document.querySelector('meta[name="onair-strings"]');
    try { return JSON.parse(meta ? meta.getAttribute("content") : "{}") || {}; } catch (e) { return {}; }
  })();
  function t(key, fallback, values) {
    var out = typeof texts[key] === "string" ? texts[key] : fallback;
    Object.keys(values || {}).forEach(function (name) { out = out.split("{" + name + "}").join(String(values[name])); });
    return out;
  }
  var stream = audio.currentSrc || (audio.querySelector("source") || {}).src || "";
  var sources = Array.prototype.slice.call(audio.querySelectorAll("source"));
  var playable = sources.filter(function (s) { return audio.canPlayType(s.type) !== ""; })[0] || sources[0];
  if (playable) stream = playable.src;
  document.documentElement.className += " js-ready";
  button.hidden = false;
  var playing = false;
  function status(text) { $("embed-status").textContent = text; }
  function set(on) { playing = on; button.setAttribute("aria-pressed", on ? "true" : "false"); }
  button.addEventListener("click", function () {
    if (playing) { audio.pause(); audio.removeAttribute("src"); audio.load(); set(false); status(t("stopped", "Stopped")); return; }
    audio.src = stream + (stream.indexOf("?") < 0 ? "?" : "&") + "t=" + Date.now();
    set(true); status(t("connecting", "Connecting…"));
    var attempt = audio.play();
    if (attempt && attempt.catch) attempt.catch(function () { set(false); status(t("press_play", "Press play to listen")); });
  });
  audio.addEventListener("playing", function () { status(""); });
  audio.addEventListener("error", function () { if (playing) { set(false); status(t("stream_error", "The stream cannot be played right now.")); } });
  function show(doc) {
    var np = doc && doc.now_playing, live = doc && doc.live && doc.live.is_live;
    var badge = $("embed-badge");
    var fresh = doc && Date.now() - Date.parse(doc.updated_at) < 60000;
    badge.setAttribute("data-state", !fresh ? "unknown" : !doc.online ? "off" : live ? "live" : "on");
    badge.textContent = !fresh ? t("status_unknown", "Status unknown") : !doc.online ? t("off_air", "Off air")
      : live ? t("live", "Live") : t("on_air", "On air");
    if (np && (np.title || np.text)) {
      $("embed-title").textContent = np.title || np.text;
      $("embed-artist").textContent = np.artist || (doc.show && doc.show.title) || "";
    }
  }
  function poll() {
    fetch(root.getAttribute("data-nowplaying"), { cache: "no-cache" })
      .then(function (r) { return r.ok ? r.json() : null; }).then(show, function () {});
  }
  poll();
  setInterval(poll, 10000);
})();
