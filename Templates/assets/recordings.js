/* "Listen again": the tracklist's times seek the recording's player; the track playing is named
   under the player. Track titles come from tags: inserted with textContent, never as HTML. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="onair-strings"]');
  var texts = {};
  try { texts = JSON.parse(meta ? meta.getAttribute("content") : "{}") || {}; } catch (e) { texts = {}; }
  var template = typeof texts.recording_now === "string" ? texts.recording_now : "Now in this recording: {title}";

  Array.prototype.forEach.call(document.querySelectorAll("li.recording"), function (item) {
    var player = item.querySelector("audio");
    var now = item.querySelector(".recording-now");
    var buttons = Array.prototype.slice.call(item.querySelectorAll("button.seek"));
    if (!player) return;
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var offset = Number(button.getAttribute("data-offset")) || 0;
        var seek = function () { player.currentTime = offset; };
        if (player.readyState >= 1) { seek(); } else {
          player.preload = "metadata";
          player.addEventListener("loadedmetadata", seek, { once: true });
          player.load();
        }
        var played = player.play();
        if (played && played.catch) played.catch(function () {});
      });
    });
    if (!now || buttons.length === 0) return;
    player.addEventListener("timeupdate", function () {
      var current = null;
      buttons.forEach(function (button) {
        if (Number(button.getAttribute("data-offset")) <= player.currentTime) current = button;
      });
      buttons.forEach(function (button) { button.classList.toggle("current", button === current); });
      var text = current ? current.parentNode.querySelector(".track-text") : null;
      now.textContent = text ? template.split("{title}").join(text.textContent) : "";
    });
  });
})();
