/* OnAir site: share buttons on pages without the player (the player page's player.js handles its
   own). No framework, no third-party requests. */
/* The page's fixed texts in the station's language (<meta name="onair-strings">, from
   Templates/strings/<language>.yaml), the English ones the fallback: onairText(key, fallback,
   {name: value}). site.js loads first; player.js and schedule.js use it too (embed.js, alone on
   its page, keeps its own copy). */
window.onairText = (function () {
  "use strict";
  var texts;
  try {
    var meta = document.querySelector('meta[name="onair-strings"]');
    texts = JSON.parse(meta ? meta.getAttribute("content") : "{}") || {};
  } catch (e) { texts = {}; }
  return function (key, fallback, values) {
    var out = typeof texts[key] === "string" ? texts[key] : fallback;
    Object.keys(values || {}).forEach(function (name) { out = out.split("{" + name + "}").join(String(values[name])); });
    return out;
  };
})();
(function () {
  "use strict";
  // The embed snippet's size picker (home page).
  var size = document.getElementById("embed-size"), snippet = document.getElementById("embed-snippet");
  if (size && snippet) {
    // Written as text: an element with a style attribute would break the page's CSP (style-src 'self').
    var quote = function (value) {
      return String(value).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    };
    var write = function () {
      var parts = size.value.split("x");
      snippet.value = '<iframe src="' + quote(size.getAttribute("data-embed-url")) + '" title="' +
        quote(size.getAttribute("data-embed-title")) + '" width="' + quote(parts[0]) + '" height="' + quote(parts[1]) +
        '" style="border:0" allow="autoplay" loading="lazy"></iframe>';
    };
    size.addEventListener("change", write);
    write();
    snippet.addEventListener("focus", function () { snippet.select(); });
  }
})();
(function () {
  "use strict";
  var t = window.onairText;
  if (document.getElementById("player-audio")) return;
  var box = document.querySelector("[data-share-url]");
  if (!box) return;
  var url = box.getAttribute("data-share-url") || location.href;
  var text = box.getAttribute("data-share-text") || document.title;
  var copy = box.querySelector("[data-share-copy]");
  if (copy) copy.addEventListener("click", function () {
    var label = copy.textContent;
    var done = function (ok) {
      copy.textContent = ok ? t("link_copied", "Link copied") : t("copy_failed", "Copy failed");
      setTimeout(function () { copy.textContent = label; }, 2000);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(function () { done(true); }, function () { done(false); });
    } else done(false);
  });
  var native = box.querySelector("[data-share-native]");
  if (native && navigator.share) {
    native.hidden = false;
    native.addEventListener("click", function () {
      navigator.share({ title: document.title, text: text, url: url }).catch(function () {});
    });
  }
})();
