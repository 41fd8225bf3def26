import Foundation

/// A calendar date in the station's zone (no time, no zone).
public struct LocalDate: Hashable, Comparable, Sendable, TextCoded, CustomStringConvertible {
    public var year: Int, month: Int, day: Int

    public init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }

    /// Parses `YYYY-MM-DD`; rejects dates that do not exist (2026-02-30).
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), d >= 1, d <= LocalDate.daysIn(month: m, year: y)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }
    public static func < (a: Self, b: Self) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public init?(codedText: String) { self.init(parsing: codedText) }
    public var codedText: String { description }
    public static let codedTextShape = "a date YYYY-MM-DD"
}

/// A weekly slot: `day start–end`. An end at or before the start means the slot crosses midnight
/// into the next day (an end equal to the start is rejected by the parser).
public struct WeeklySlot: Hashable, Sendable, Codable {
    public var day: Weekday
    public var start: TimeOfDay
    public var end: TimeOfDay
    /// The show's slug (`night-owls` for `Content/shows/night-owls.md`).
    public var show: String

    public init(day: Weekday, start: TimeOfDay, end: TimeOfDay, show: String) {
        self.day = day; self.start = start; self.end = end; self.show = show
    }

    public var crossesMidnight: Bool { end <= start }
    /// Length in minutes in wall-clock terms (a DST change makes the real slot an hour shorter or longer).
    public var lengthMinutes: Int { end > start ? end.minutes - start.minutes : 1440 - start.minutes + end.minutes }
}

/// A dated one-off slot that replaces whatever the week has at that time.
public struct SpecialSlot: Hashable, Sendable, Codable {
    public var date: LocalDate
    public var start: TimeOfDay
    public var end: TimeOfDay
    public var show: String
    /// Optional title for the occasion ("New Year's Eve Countdown"); the show's title otherwise.
    public var title: String?

    public init(date: LocalDate, start: TimeOfDay, end: TimeOfDay, show: String, title: String? = nil) {
        self.date = date; self.start = start; self.end = end; self.show = show; self.title = title
    }
    public var lengthMinutes: Int { end > start ? end.minutes - start.minutes : 1440 - start.minutes + end.minutes }
}

/// One concrete airing: a show from `start` to `end` (absolute instants).
public struct Occurrence: Hashable, Sendable, Codable {
    public var show: String
    public var start: Date
    public var end: Date
    public var isSpecial: Bool
    public var title: String?

    public init(show: String, start: Date, end: Date, isSpecial: Bool = false, title: String? = nil) {
        self.show = show; self.start = start; self.end = end; self.isSpecial = isSpecial; self.title = title
    }
    public func contains(_ date: Date) -> Bool { start <= date && date < end }
}

/// The station's week plus specials, in the station's time zone. Pure value; all time math lives here
/// so the generator (pages, calendar) and the daemon (current show) agree.
public struct Schedule: Sendable, Hashable {
    public var timeZone: TimeZone
    public var weekly: [WeeklySlot]
    public var specials: [SpecialSlot]

    public init(timeZone: TimeZone, weekly: [WeeklySlot], specials: [SpecialSlot] = []) {
        self.timeZone = timeZone; self.weekly = weekly; self.specials = specials
    }

    var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The instant a local wall-clock time names. In a spring-forward gap the time moves forward
    /// (02:30 on the change day is 03:30); in the repeated fall-back hour the first one is taken.
    public func instant(_ date: LocalDate, _ time: TimeOfDay) -> Date {
        var components = DateComponents()
        components.year = date.year; components.month = date.month; components.day = date.day
        components.hour = 0; components.minute = 0
        let cal = calendar
        let midnight = cal.date(from: components)!
        if time.minutes == 0 { return midnight }
        if time.minutes == 1440 { return cal.date(byAdding: .day, value: 1, to: midnight)! }
        components.hour = time.hour; components.minute = time.minute
        return cal.nextDate(
            after: midnight.addingTimeInterval(-1), matching: DateComponents(hour: time.hour, minute: time.minute),
            matchingPolicy: .nextTime, repeatedTimePolicy: .first, direction: .forward)
            ?? midnight.addingTimeInterval(TimeInterval(time.minutes * 60))
    }

    /// The local date of an instant in the station's zone.
    public func localDate(of instant: Date) -> LocalDate {
        let c = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: c.year!, month: c.month!, day: c.day!)
    }

    public func weekday(of date: LocalDate) -> Weekday {
        Weekday(calendarWeekday: calendar.component(.weekday, from: instant(date, TimeOfDay(minutes: 0))))
    }

    public func adding(days: Int, to date: LocalDate) -> LocalDate {
        localDate(of: calendar.date(byAdding: .day, value: days, to: instant(date, TimeOfDay(minutes: 0)).addingTimeInterval(12 * 3600))!)
    }

    func occurrence(of slot: WeeklySlot, on date: LocalDate) -> Occurrence {
        let endDate = slot.end > slot.start ? date : adding(days: 1, to: date)
        return Occurrence(show: slot.show, start: instant(date, slot.start), end: instant(endDate, slot.end))
    }

    func occurrence(of special: SpecialSlot) -> Occurrence {
        let endDate = special.end > special.start ? special.date : adding(days: 1, to: special.date)
        return Occurrence(
            show: special.show, start: instant(special.date, special.start),
            end: instant(endDate, special.end), isSpecial: true, title: special.title)
    }

    /// Every airing that overlaps `[from, to)`, sorted by start. Specials replace the part of any
    /// weekly airing they overlap (the rest of that airing stays).
    public func occurrences(from: Date, to: Date) -> [Occurrence] {
        let first = adding(days: -1, to: localDate(of: from))
        let last = localDate(of: to)
        var weeklyAirings: [Occurrence] = []
        var day = first
        while day <= last {
            let weekday = weekday(of: day)
            for slot in weekly where slot.day == weekday { weeklyAirings.append(occurrence(of: slot, on: day)) }
            day = adding(days: 1, to: day)
        }
        let specialAirings = specials.map(occurrence(of:))
        var result = specialAirings
        for airing in weeklyAirings {
            var pieces = [airing]
            for special in specialAirings {
                pieces = pieces.flatMap { piece -> [Occurrence] in
                    guard special.start < piece.end, piece.start < special.end else { return [piece] }
                    var kept: [Occurrence] = []
                    if piece.start < special.start { var p = piece; p.end = special.start; kept.append(p) }
                    if special.end < piece.end { var p = piece; p.start = special.end; kept.append(p) }
                    return kept
                }
            }
            result += pieces
        }
        return result.filter { $0.end > from && $0.start < to }
            .sorted { ($0.start, $0.show) < ($1.start, $1.show) }
    }

    /// What is on air at `date`, if anything.
    public func onAir(at date: Date) -> Occurrence? {
        occurrences(from: date, to: date.addingTimeInterval(1)).first { $0.contains(date) }
    }

    /// The first airing that starts after `date` (looking up to `horizonDays` ahead).
    public func next(after date: Date, horizonDays: Int = 8) -> Occurrence? {
        occurrences(from: date, to: date.addingTimeInterval(TimeInterval(horizonDays * 86_400)))
            .first { $0.start > date }
    }
}
