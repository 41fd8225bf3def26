/* OnAir listener chat and pushed now-playing, over onair-api's /api/events (Server-Sent Events).
   Probes GET /api/me first: without the service (a static deploy) the panel stays hidden and the
   player keeps polling nowplaying.json. Every nickname and message is inserted with textContent. */
(function () {
  "use strict";
  var panel = document.getElementById("chat");
  if (!panel || !window.fetch || !window.EventSource || !window.JSON) return;

  var list = document.getElementById("chat-messages");
  var form = document.getElementById("chat-form");
  var nick = document.getElementById("chat-nickname");
  var input = document.getElementById("chat-text");
  var send = document.getElementById("chat-send");
  var status = document.getElementById("chat-status");
  var connection = document.getElementById("chat-connection");
  var NICK_KEY = "onair.chat.nickname";
  var user = null;          // signed-in staff (moderation buttons), from /api/me or the studio page
  var source = null;
  var lastEventId = 0;      // newest chat event seen, for reconnecting without losing messages
  var retry = 0;
  var byId = {};

  function store(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode */ } }
  function load(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function say(text, isError) {
    status.textContent = text || "";
    status.classList.toggle("is-error", !!isError);
  }
  function announcePush(open) {
    window.dispatchEvent(new CustomEvent("onair:push", { detail: { open: open } }));
  }

  /* ---------- messages ---------- */
  var URL_RE = /\bhttps?:\/\/[^\s<>"']+/g;
  function appendText(el, text) {
    // Links become <a> elements built from text nodes; everything else stays text.
    var last = 0, match;
    URL_RE.lastIndex = 0;
    while ((match = URL_RE.exec(text)) !== null) {
      if (match.index > last) el.appendChild(document.createTextNode(text.slice(last, match.index)));
      var a = document.createElement("a");
      a.href = match[0];
      a.rel = "nofollow noopener noreferrer ugc";
      a.target = "_blank";
      a.textContent = match[0];
      el.appendChild(a);
      last = match.index + match[0].length;
    }
    if (last < text.length) el.appendChild(document.createTextNode(text.slice(last)));
  }
  function clock(iso) {
    var date = new Date(iso);
    return isNaN(date) ? "" : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }
  function modButtons(message) {
    var box = document.createElement("span");
    box.className = "chat-mod";
    var del = document.createElement("button");
    del.type = "button"; del.textContent = "Delete"; del.setAttribute("data-action", "delete");
    del.setAttribute("aria-label", "Delete this message");
    var mute = document.createElement("button");
    mute.type = "button"; mute.textContent = "Mute 10 min"; mute.setAttribute("data-action", "mute");
    box.appendChild(del); box.appendChild(mute);
    return box;
  }
  function addMessage(message) {
    if (!message || typeof message.id !== "number" || byId[message.id]) return;
    var empty = list.querySelector(".chat-empty");
    if (empty) empty.remove();
    var li = document.createElement("li");
    li.className = "chat-message" + (message.staff ? " is-staff" : "");
    li.setAttribute("data-id", String(message.id));
    li.setAttribute("data-nickname", String(message.nickname));
    var who = document.createElement("span");
    who.className = "chat-nick";
    who.textContent = String(message.nickname);
    li.appendChild(who);
    if (message.staff) {
      var badge = document.createElement("span");
      badge.className = "chat-badge"; badge.textContent = "Staff";
      li.appendChild(badge);
    }
    var time = document.createElement("time");
    time.className = "chat-time"; time.dateTime = String(message.at); time.textContent = clock(message.at);
    li.appendChild(time);
    if (user) li.appendChild(modButtons(message));
    var body = document.createElement("span");
    body.className = "chat-text-body";
    appendText(body, String(message.text));
    li.appendChild(body);
    var atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.appendChild(li);
    byId[message.id] = li;
    while (list.children.length > 200) { delete byId[list.firstChild.getAttribute("data-id")]; list.firstChild.remove(); }
    if (atBottom) list.scrollTop = list.scrollHeight;
  }
  function removeMessage(id) {
    var li = byId[id];
    if (li) { li.remove(); delete byId[id]; }
  }
  function showEmpty() {
    if (list.children.length === 0) {
      var li = document.createElement("li");
      li.className = "chat-empty"; li.textContent = "No messages yet. Say hello!";
      list.appendChild(li);
    }
  }

  /* ---------- requests ---------- */
  // Every state change goes as JSON, with or without a body: onair-api refuses anything else (415).
  function api(method, path, body) {
    return fetch(path, {
      method: method, credentials: "same-origin", cache: "no-store",
      headers: method === "GET" ? { Accept: "application/json" } : { "Content-Type": "application/json", Accept: "application/json" },
      body: body ? JSON.stringify(body) : undefined
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) throw new Error(json && json.error ? json.error : "the chat service answered " + response.status);
        return json;
      });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var nickname = nick.value.trim(), text = input.value.trim();
    if (!nickname) { say("Pick a nickname first.", true); nick.focus(); return; }
    if (!text) return;
    store(NICK_KEY, nickname);
    send.disabled = true;
    api("POST", "/api/chat", { nickname: nickname, text: text })
      .then(function (message) { input.value = ""; say(""); addMessage(message); })
      .catch(function (error) { say(error.message, true); })
      .then(function () { send.disabled = false; input.focus(); });
  });

  list.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-action]") : null;
    if (!button) return;
    var li = button.closest("li");
    var id = li.getAttribute("data-id");
    var action = button.getAttribute("data-action");
    var done = action === "delete"
      ? api("DELETE", "/api/chat/" + encodeURIComponent(id)).then(function () { removeMessage(id); say("Message deleted."); })
      : api("POST", "/api/chat/mute", { nickname: li.getAttribute("data-nickname"), minutes: 10 })
          .then(function (answer) { say("Muted " + answer.muted + " for 10 minutes."); });
    done.catch(function (error) { say(error.message, true); });
  });

  /* ---------- the event stream ---------- */
  function connect() {
    var url = "/api/events" + (lastEventId ? "?last_event_id=" + lastEventId : "");
    source = new EventSource(url);
    source.addEventListener("open", function () {
      retry = 0;
      connection.textContent = "Live";
      announcePush(true);
      setTimeout(showEmpty, 500);
    });
    source.addEventListener("nowplaying", function (event) {
      var doc;
      try { doc = JSON.parse(event.data); } catch (e) { return; }
      window.dispatchEvent(new CustomEvent("onair:nowplaying", { detail: doc }));
    });
    source.addEventListener("chat", function (event) {
      var id = Number(event.lastEventId);
      if (id > lastEventId) lastEventId = id;
      try { addMessage(JSON.parse(event.data)); } catch (e) { /* not JSON: ignored */ }
    });
    source.addEventListener("chat-delete", function (event) {
      var id = Number(event.lastEventId);
      if (id > lastEventId) lastEventId = id;
      try { removeMessage(JSON.parse(event.data).id); } catch (e) { /* ignored */ }
    });
    source.addEventListener("error", function () {
      announcePush(false);
      connection.textContent = "Reconnecting…";
      // A closed stream (the service restarting behind nginx answers 502) is reopened here, with the
      // last event id in the URL; a dropped one the browser reopens itself with Last-Event-ID.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        retry = Math.min(retry + 1, 5);
        setTimeout(connect, 1000 * Math.pow(2, retry - 1));
      }
    });
  }

  window.addEventListener("onair:user", function (event) {
    user = event.detail || null;
    if (user && !nick.value) nick.value = user.name;
    Object.keys(byId).forEach(function (id) {
      var li = byId[id], box = li.querySelector(".chat-mod");
      if (user && !box) li.insertBefore(modButtons(), li.querySelector(".chat-text-body"));
      if (!user && box) box.remove();
    });
  });

  fetch("/api/me", { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
    .then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("application/json") !== 0) throw new Error("no chat service");
      return response.json();
    })
    .then(function (me) {
      if (!me || typeof me !== "object" || !me.chat) throw new Error("no chat service");
      user = me.user || null;
      nick.maxLength = me.chat.max_nickname || 24;
      input.maxLength = me.chat.max_length || 500;
      nick.value = load(NICK_KEY) || (user ? user.name : "");
      panel.hidden = false;
      connect();
    })
    .catch(function () { /* static deploy: no chat, the player keeps polling */ });
})();
