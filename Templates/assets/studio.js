/* OnAir studio (/studio/): sign in, see what is on air, set the title, skip, moderate, manage users.
   Talks to onair-api at /api/; every value from the network is inserted with textContent. */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  if (!$("studio") || !window.fetch) return;
  var me = null;

  function text(id, value) { var el = $(id); if (el) el.textContent = value == null || value === "" ? "–" : String(value); }
  function say(id, message, isError) {
    var el = $(id);
    el.textContent = message || "";
    el.classList.toggle("is-error", !!isError);
  }
  // Every state change goes as JSON, with or without a body: onair-api refuses anything else (415).
  function api(method, path, body) {
    return fetch(path, {
      method: method, credentials: "same-origin", cache: "no-store",
      headers: method === "GET" ? { Accept: "application/json" } : { "Content-Type": "application/json", Accept: "application/json" },
      body: body ? JSON.stringify(body) : undefined
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) throw new Error("the studio service is not reachable (HTTP " + response.status + ")");
      return response.json().then(function (json) {
        if (!response.ok) {
          if (response.status === 401 && path !== "/api/session") signedOut();
          throw new Error(json.error || ("HTTP " + response.status));
        }
        return json;
      });
    });
  }

  /* ---------- sign-in ---------- */
  function signedOut() {
    me = null;
    $("studio-desk").hidden = true;
    $("signin-form").hidden = false;
    window.dispatchEvent(new CustomEvent("onair:user", { detail: null }));
  }
  function signedIn(user) {
    me = user;
    $("signin-form").hidden = true;
    $("studio-desk").hidden = false;
    text("studio-user", user.name);
    text("studio-role", user.role === "admin" ? "(admin)" : "(DJ)");
    $("admin-box").hidden = user.role !== "admin";
    window.dispatchEvent(new CustomEvent("onair:user", { detail: user }));
    refresh();
    if (user.role === "admin") loadUsers();
  }

  $("signin-form").addEventListener("submit", function (event) {
    event.preventDefault();
    say("signin-status", "Signing in…");
    api("POST", "/api/session", { username: $("signin-username").value, password: $("signin-password").value })
      .then(function (answer) { $("signin-password").value = ""; say("signin-status", ""); signedIn(answer.user); })
      .catch(function (error) { say("signin-status", error.message, true); });
  });
  $("signout-button").addEventListener("click", function () {
    api("DELETE", "/api/session").catch(function () {}).then(signedOut);
  });

  /* ---------- on air ---------- */
  function showStatus(state) {
    var s = state.onaird;
    if (s) {
      text("studio-state", s.online ? (s.live ? "on air, live" + (s.live_streamer ? " (" + s.live_streamer + ")" : "") : "on air") : "offline");
      text("studio-title", s.title);
      text("studio-source", s.source);
      text("studio-live-input", s.live_input);  // who is on, or why the programme came back
      // Admins may take a DJ from the live mount off the air (their status line says "DJ ... on air").
      $("end-live-button").hidden = !(me && me.role === "admin" && s.live && /^DJ /.test(s.live_input || ""));
      say("studio-daemon", "");
    } else {
      say("studio-daemon", state.onaird_error || "onaird does not answer", true);
    }
    var c = state.source_client || {};
    text("source-server", c.server); text("source-port", c.port); text("source-mount", c.mount);
    text("source-user", c.user); text("source-format", c.format); text("source-bitrate", c.bitrate ? c.bitrate + " kbit/s" : "");
    text("source-password-note", c.accounts ? "Password: your own studio password." : "The password comes from the operator.");
  }
  function refresh() {
    if (!me) return;
    api("GET", "/api/studio").then(showStatus).catch(function (error) { say("studio-daemon", error.message, true); });
    if (me.role === "admin") loadAudit();
  }
  window.addEventListener("onair:nowplaying", function (event) {
    var doc = event.detail;
    if (!doc || typeof doc !== "object") return;
    if (doc.now_playing && typeof doc.now_playing.text === "string") text("studio-title", doc.now_playing.text);
    if (doc.listeners) text("studio-listeners", doc.listeners.current + " now · peak " + doc.listeners.peak);
    text("studio-state", doc.online ? (doc.live && doc.live.is_live ? "on air, live" : "on air") : "offline");
  });
  setInterval(refresh, 15000);

  $("title-form").addEventListener("submit", function (event) {
    event.preventDefault();
    say("action-status", "Setting the title…");
    api("POST", "/api/studio/title", { title: $("title-input").value })
      .then(function (answer) { say("action-status", answer.message || "Title set."); refresh(); })
      .catch(function (error) { say("action-status", error.message, true); });
  });
  $("skip-button").addEventListener("click", function () {
    say("action-status", "Skipping…");
    api("POST", "/api/studio/skip")
      .then(function (answer) { say("action-status", answer.message || "Skipped."); refresh(); })
      .catch(function (error) { say("action-status", error.message, true); });
  });

  $("end-live-button").addEventListener("click", function () {
    if (!window.confirm("Take the DJ off the air? The programme fades back in, their connection is ended, and they cannot come straight back.")) return;
    say("action-status", "Taking the DJ off the air…");
    api("POST", "/api/studio/end-live")
      .then(function (answer) { say("action-status", answer.message || "The DJ is off the air."); refresh(); })
      .catch(function (error) { say("action-status", error.message, true); });
  });

  /* ---------- moderation ---------- */
  $("slow-form").addEventListener("submit", function (event) {
    event.preventDefault();
    api("POST", "/api/chat/slow", { seconds: Number($("slow-input").value) || 0 })
      .then(function (answer) { say("moderation-status", answer.slow_mode ? "Slow mode: one message per " + answer.slow_mode + " s." : "Slow mode off."); })
      .catch(function (error) { say("moderation-status", error.message, true); });
  });
  $("mute-form").addEventListener("submit", function (event) {
    event.preventDefault();
    api("POST", "/api/chat/mute", { nickname: $("mute-nickname").value, minutes: Number($("mute-minutes").value) || 10 })
      .then(function (answer) { say("moderation-status", "Muted " + answer.muted + "."); })
      .catch(function (error) { say("moderation-status", error.message, true); });
  });

  /* ---------- users (admins) ---------- */
  function loadUsers() {
    api("GET", "/api/users").then(function (answer) {
      var list = $("users-list");
      list.textContent = "";
      answer.users.forEach(function (user) {
        var li = document.createElement("li");
        li.textContent = user.name + " (" + user.role + ")";
        if (me && user.name !== me.name) {
          var remove = document.createElement("button");
          remove.type = "button"; remove.textContent = "Remove";
          remove.addEventListener("click", function () {
            api("DELETE", "/api/users/" + encodeURIComponent(user.name))
              .then(function () { say("users-status", "Removed " + user.name + "."); loadUsers(); loadAudit(); })
              .catch(function (error) { say("users-status", error.message, true); });
          });
          li.appendChild(remove);
        }
        list.appendChild(li);
      });
    }).catch(function (error) { say("users-status", error.message, true); });
  }
  function loadAudit() {
    api("GET", "/api/audit").then(function (answer) {
      var list = $("audit-list");
      list.textContent = "";
      answer.entries.slice(0, 30).forEach(function (entry) {
        var li = document.createElement("li");
        li.textContent = new Date(entry.at).toLocaleString() + " · " + entry.actor + " · " + entry.action + (entry.detail ? " · " + entry.detail : "");
        list.appendChild(li);
      });
    }).catch(function () {});
  }
  $("user-form").addEventListener("submit", function (event) {
    event.preventDefault();
    api("POST", "/api/users", { username: $("user-name").value, password: $("user-password").value, role: $("user-role").value })
      .then(function (user) { $("user-password").value = ""; $("user-name").value = ""; say("users-status", "Added " + user.name + "."); loadUsers(); loadAudit(); })
      .catch(function (error) { say("users-status", error.message, true); });
  });

  /* ---------- start ---------- */
  api("GET", "/api/me")
    .then(function (answer) { if (answer.user) signedIn(answer.user); else signedOut(); })
    .catch(function () { $("studio-absent").hidden = false; });
})();
