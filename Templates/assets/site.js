/* OnAir site: share buttons on pages without the player (the player page's player.js handles its
   own). No framework, no third-party requests. */
(function () {
  "use strict";
  if (document.getElementById("player-audio")) return;
  var box = document.querySelector("[data-share-url]");
  if (!box) return;
  var url = box.getAttribute("data-share-url") || location.href;
  var text = box.getAttribute("data-share-text") || document.title;
  var copy = box.querySelector("[data-share-copy]");
  if (copy) copy.addEventListener("click", function () {
    var label = copy.textContent;
    var done = function (ok) {
      copy.textContent = ok ? "Link copied" : "Copy failed";
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
