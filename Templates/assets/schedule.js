/* OnAir schedule: marks the slot on air now, shows every time in the listener's zone with the
   station's time beside it, and tells show pages when the show airs next. The page works without it.
   Slots carry data-start/data-end (ISO UTC instants of their next airing at build time); weekly slots
   repeat every 7 days, specials (data-special or without data-weekly-start) happen once. */
(function () {
  "use strict";
  var t = window.onairText;
  var lang = document.documentElement.lang || undefined;
  var WEEK = 7 * 24 * 3600 * 1000;
  var slots = Array.prototype.slice.call(document.querySelectorAll(".slot[data-start][data-end]"));
  var note = document.getElementById("tz-note");

  function stationZone() {
    var holder = note && note.hasAttribute("data-timezone") ? note : document.querySelector("[data-timezone]");
    var fromAttr = holder && holder.getAttribute("data-timezone");
    if (fromAttr) return fromAttr;
    var match = note && /([A-Za-z_]+\/[A-Za-z_\-+\/0-9]+|UTC)/.exec(note.textContent || "");
    return match ? match[1] : null;
  }
  var station = stationZone();
  var listener = (Intl.DateTimeFormat().resolvedOptions() || {}).timeZone || null;
  var sameZone = !station || !listener || station === listener;

  function format(date, zone, withDay) {
    var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }; // like the station's own times
    if (withDay) options.weekday = "short";
    if (zone) options.timeZone = zone;
    try { return new Intl.DateTimeFormat(lang, options).format(date); }
    catch (e) { return new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit" }).format(date); }
  }
  function dayIn(date, zone) {
    try { return new Intl.DateTimeFormat("en", { weekday: "short", timeZone: zone || undefined }).format(date); }
    catch (e) { return ""; }
  }
  function weekly(slot) {
    return !slot.hasAttribute("data-special") && slot.hasAttribute("data-weekly-start");
  }
  /* The station zone's UTC offset at `ms`, in ms (null when the browser cannot tell). */
  var offsetFormat = null;
  try {
    offsetFormat = station && new Intl.DateTimeFormat("en-US", { timeZone: station, hourCycle: "h23", year: "numeric",
      month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  } catch (e) { offsetFormat = null; }
  function offset(ms) {
    if (!offsetFormat || !offsetFormat.formatToParts) return null;
    var p = {};
    offsetFormat.formatToParts(new Date(ms)).forEach(function (part) { p[part.type] = part.value; });
    var wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second);
    return isNaN(wall) ? null : wall - Math.floor(ms / 1000) * 1000;
  }
  /* `ms` moved by `weeks` weeks of the station's wall clock: across a daylight-saving change the
     show still starts at its local time, so the UTC instant moves by an hour. */
  function weeksLater(ms, weeks) {
    var moved = ms + weeks * WEEK;
    var before = offset(ms), after = offset(moved);
    return before === null || after === null ? moved : moved + before - after;
  }
  /* The airing of `slot` that is on now or comes next, as [start, end] in ms; null if none. */
  function airing(slot, now) {
    var start = Date.parse(slot.getAttribute("data-start"));
    var end = Date.parse(slot.getAttribute("data-end"));
    if (isNaN(start) || isNaN(end) || end <= start) return null;
    if (!weekly(slot)) return end <= now ? null : [start, end];
    var weeks = Math.floor((now - start) / WEEK) - 1; // may be negative: the build ran later
    for (var i = 0; i < 4; i++, weeks++) {
      var s = weeksLater(start, weeks), e = weeksLater(end, weeks);
      if (e > now) return [s, e];
    }
    return null;
  }

  function highlight() {
    var now = Date.now();
    slots.forEach(function (slot) {
      var when = airing(slot, now);
      var on = !!when && when[0] <= now && now < when[1];
      slot.classList.toggle("on-air", on);
      if (on) slot.setAttribute("aria-current", "time"); else slot.removeAttribute("aria-current");
    });
  }

  function localise() {
    if (sameZone) {
      if (note && station) note.textContent = t("times_in_station", "Times in {zone} (your time zone too).", { zone: station });
      return;
    }
    // Times that share a parent (a slot's start–end) get one station-time note after the last one.
    var groups = [];
    Array.prototype.forEach.call(document.querySelectorAll("time.local[datetime]"), function (time) {
      if (time.getAttribute("data-localised")) return;
      var last = groups[groups.length - 1];
      if (last && last.parent === time.parentNode) last.times.push(time);
      else groups.push({ parent: time.parentNode, times: [time] });
    });
    groups.forEach(function (group) {
      var stationTexts = [];
      group.times.forEach(function (time, index) {
        var date = new Date(time.getAttribute("datetime"));
        if (isNaN(date.getTime())) return;
        var differentDay = index === 0 && dayIn(date, listener) !== dayIn(date, station);
        var stationText = time.textContent.trim();
        stationTexts.push(stationText);
        time.textContent = format(date, listener, differentDay);
        time.setAttribute("data-localised", "1");
        time.setAttribute("title", stationText + " station time (" + station + ")");
      });
      if (!stationTexts.length) return;
      var lastTime = group.times[group.times.length - 1];
      group.parent.classList.add("localised");
      var beside = document.createElement("span");
      beside.className = "station-time";
      beside.textContent = " (" + stationTexts.join("–") + " " + shortZone(station) + ")";
      lastTime.parentNode.insertBefore(beside, lastTime.nextSibling);
    });
    if (note) {
      note.textContent = t("times_in_yours", "Times in your time zone ({zone}); station times ({station}) in brackets.", { zone: listener, station: station });
    }
  }
  function shortZone(zone) {
    var city = String(zone).split("/").pop();
    return city.replace(/_/g, " ");
  }

  /* Show pages: when is this show on next? */
  function nextAiring() {
    var target = document.getElementById("next-airing");
    if (!target || !slots.length) return;
    var now = Date.now(), best = null;
    slots.forEach(function (slot) {
      var when = airing(slot, now);
      if (when && (!best || when[0] < best[0])) best = when;
    });
    if (!best) { target.textContent = t("no_airing", "No upcoming airing in the schedule."); return; }
    if (best[0] <= now) { target.textContent = t("on_air_until", "On air now, until {time}.", { time: format(new Date(best[1]), listener, false) }); return; }
    var start = new Date(best[0]);
    var days = Math.round((new Date(start).setHours(0, 0, 0, 0) - new Date(now).setHours(0, 0, 0, 0)) / 864e5);
    var day = days === 0 ? t("today", "today") : days === 1 ? t("tomorrow", "tomorrow")
      : new Intl.DateTimeFormat(lang, { weekday: "long", month: "short", day: "numeric" }).format(start);
    target.textContent = sameZone
      ? t("next_on_air", "Next on air {day} at {time}.", { day: day, time: format(start, listener, false) })
      : t("next_on_air_zone", "Next on air {day} at {time} your time ({station_time} {zone}).",
          { day: day, time: format(start, listener, false), station_time: format(start, station, false), zone: shortZone(station) });
  }

  /* "Coming up" (home page): the build lists the next airings from the start of its day; keep the
     first few that have not ended, each with its day in the listener's zone. */
  function comingUp() {
    var now = Date.now();
    Array.prototype.forEach.call(document.querySelectorAll("[data-coming-up]"), function (list) {
      var keep = parseInt(list.getAttribute("data-coming-up"), 10) || 5, shown = 0;
      Array.prototype.forEach.call(list.children, function (item) {
        var end = Date.parse(item.getAttribute("data-end")), start = Date.parse(item.getAttribute("data-start"));
        var visible = !(end <= now) && shown < keep;
        item.hidden = !visible;
        if (!visible) return;
        shown += 1;
        var label = item.querySelector(".slot-date");
        if (label && !isNaN(start)) {
          try {
            label.textContent = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
              { weekday: "short", day: "numeric", month: "short", timeZone: listener || undefined }).format(new Date(start));
          } catch (e) { /* keep the station's date */ }
        }
      });
    });
  }

  localise();
  highlight();
  nextAiring();
  comingUp();
  setInterval(function () { highlight(); nextAiring(); comingUp(); }, 30000);
})();
