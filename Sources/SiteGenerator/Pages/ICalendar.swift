import Foundation
import StationKit

/// `schedule.ics`: a subscribable calendar. Weekly slots are events with `RRULE:FREQ=WEEKLY` in the
/// station's zone (described by a VTIMEZONE, so DST follows the station), specials are single
/// events, and a weekly airing a special replaces gets an `EXDATE`.
struct ICalendar {
    var content: StationContent
    var views: ViewBuilder
    var now: Date

    var profile: StationProfile { content.profile }
    var schedule: Schedule { content.schedule }
    var zone: TimeZone { content.timeZone }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    private var host: String { URL(string: profile.baseURL)?.host ?? "onair" }

    func render() -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//OnAir//\(Escaping.icalText(profile.name))//EN",
            "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:\(Escaping.icalText(profile.name))",
            "X-WR-TIMEZONE:\(profile.timezone)",
        ]
        lines += timeZoneComponent()
        let stamp = utcStamp(now)
        for slot in content.weeklySlots.sorted(by: { ($0.day, $0.start, $0.show) < ($1.day, $1.start, $1.show) }) {
            let show = content.show(slot.show)
            let (start, end) = views.nextAiring(of: slot)
            lines += [
                "BEGIN:VEVENT",
                "UID:weekly-\(slot.day.name.lowercased())-\(compact(slot.start))-\(slot.show)@\(host)",
                "DTSTAMP:\(stamp)",
                "DTSTART;TZID=\(profile.timezone):\(local(start))",
                "DTEND;TZID=\(profile.timezone):\(local(end))",
                "RRULE:FREQ=WEEKLY;BYDAY=\(Self.byDay(slot.day))",
            ]
            lines += exceptions(for: slot, from: start).map { "EXDATE;TZID=\(profile.timezone):\(local($0))" }
            lines += eventText(title: show?.title ?? slot.show, show: show)
            lines.append("END:VEVENT")
        }
        for special in schedule.specials.sorted(by: { ($0.date, $0.start) < ($1.date, $1.start) }) {
            let show = content.show(special.show)
            let start = schedule.instant(special.date, special.start)
            let endDate = special.end > special.start ? special.date : schedule.adding(days: 1, to: special.date)
            lines += [
                "BEGIN:VEVENT",
                "UID:special-\(special.date)-\(compact(special.start))-\(special.show)@\(host)",
                "DTSTAMP:\(stamp)",
                "DTSTART;TZID=\(profile.timezone):\(local(start))",
                "DTEND;TZID=\(profile.timezone):\(local(schedule.instant(endDate, special.end)))",
            ]
            lines += eventText(title: special.title ?? show?.title ?? special.show, show: show)
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    private func eventText(title: String, show: Show?) -> [String] {
        var lines = ["SUMMARY:\(Escaping.icalText(title))"]
        let about = [show?.host.map { "With \($0)." }, show?.description].compactMap { $0 }.joined(separator: " ")
        if !about.isEmpty { lines.append("DESCRIPTION:\(Escaping.icalText(about))") }
        if let show { lines.append("URL:\(profile.absoluteURL(show.url))") }
        lines.append("LOCATION:\(Escaping.icalText(profile.baseURL))")
        return lines
    }

    /// Starts of this slot's weekly airings that a special overlaps (from `first` on).
    private func exceptions(for slot: WeeklySlot, from first: Date) -> [Date] {
        var result: [Date] = []
        for special in schedule.specials {
            let specialStart = schedule.instant(special.date, special.start)
            let specialEnd = specialStart.addingTimeInterval(TimeInterval(special.lengthMinutes * 60))
            for offset in [-1, 0] {
                let day = schedule.adding(days: offset, to: special.date)
                guard schedule.weekday(of: day) == slot.day else { continue }
                let start = schedule.instant(day, slot.start)
                let end = start.addingTimeInterval(TimeInterval(slot.lengthMinutes * 60))
                if start >= first, start < specialEnd, specialStart < end { result.append(start) }
            }
        }
        return Array(Set(result)).sorted()
    }

    /// VTIMEZONE from the zone's transitions in the current year, as yearly rules.
    func timeZoneComponent() -> [String] {
        var lines = ["BEGIN:VTIMEZONE", "TZID:\(profile.timezone)"]
        let year = calendar.component(.year, from: now)
        let startOfYear = calendar.date(from: DateComponents(year: year, month: 1, day: 1)) ?? now
        var transitions: [Date] = []
        var cursor = startOfYear
        while transitions.count < 2, let next = zone.nextDaylightSavingTimeTransition(after: cursor),
            calendar.component(.year, from: next) == year
        {
            transitions.append(next); cursor = next
        }
        if transitions.isEmpty {
            let offset = Self.offset(zone.secondsFromGMT(for: now))
            lines += ["BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:\(offset)", "TZOFFSETTO:\(offset)"]
            if let name = zone.abbreviation(for: now), name.allSatisfy(\.isLetter) { lines.append("TZNAME:\(name)") }
            lines.append("END:STANDARD")
        }
        for transition in transitions {
            let before = zone.secondsFromGMT(for: transition.addingTimeInterval(-1))
            let after = zone.secondsFromGMT(for: transition)
            let kind = zone.isDaylightSavingTime(for: transition) ? "DAYLIGHT" : "STANDARD"
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC") ?? zone
            let wall = utc.dateComponents(
                [.year, .month, .day, .hour, .minute, .weekday],
                from: transition.addingTimeInterval(TimeInterval(before)))
            let day = wall.day ?? 1, month = wall.month ?? 1
            let daysInMonth = utc.range(of: .day, in: .month, for: transition)?.count ?? 31
            let ordinal = day + 7 > daysInMonth ? -1 : (day - 1) / 7 + 1
            let weekday = Self.byDay(Weekday(calendarWeekday: wall.weekday ?? 1))
            lines += [
                "BEGIN:\(kind)",
                String(format: "DTSTART:%04d%02d%02dT%02d%02d00", wall.year ?? year, month, day, wall.hour ?? 0, wall.minute ?? 0),
                "RRULE:FREQ=YEARLY;BYMONTH=\(month);BYDAY=\(ordinal)\(weekday)",
                "TZOFFSETFROM:\(Self.offset(before))", "TZOFFSETTO:\(Self.offset(after))",
            ]
            if let name = zone.abbreviation(for: transition), name.allSatisfy(\.isLetter) { lines.append("TZNAME:\(name)") }
            lines.append("END:\(kind)")
        }
        lines.append("END:VTIMEZONE")
        return lines
    }

    static func byDay(_ day: Weekday) -> String { ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][day.rawValue - 1] }

    static func offset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let minutes = abs(seconds) / 60
        return String(format: "%@%02d%02d", sign, minutes / 60, minutes % 60)
    }

    private func compact(_ time: TimeOfDay) -> String { time.description.replacingOccurrences(of: ":", with: "") }

    /// `20261127T220000` in the station's zone.
    private func local(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    private func utcStamp(_ date: Date) -> String {
        ISO8601.string(date).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
    }

    /// Folds a content line at 75 octets without splitting a UTF-8 character (RFC 5545 3.1).
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var parts: [String] = []
        var current = ""
        var size = 0
        for character in line {
            let length = String(character).utf8.count
            if size + length > (parts.isEmpty ? 75 : 74) {
                parts.append(current); current = ""; size = 0
            }
            current.append(character); size += length
        }
        parts.append(current)
        return parts.joined(separator: "\r\n ")
    }
}
