import Foundation

/// A wall-clock time in the station's zone, `00:00` to `24:00` (the latter only as an end).
public struct TimeOfDay: Hashable, Comparable, Sendable, TextCoded, CustomStringConvertible {
    /// Minutes since local midnight, 0...1440.
    public var minutes: Int

    public init(minutes: Int) { self.minutes = minutes }
    public init(hour: Int, minute: Int) { self.minutes = hour * 60 + minute }

    public var hour: Int { minutes / 60 }
    public var minute: Int { minutes % 60 }

    /// Parses `HH:MM` or `H:MM` (24-hour). `24:00` is accepted; anything past it is not.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let hour = Int(parts[0]), let minute = Int(parts[1]),
            minute < 60, hour < 24 || (hour == 24 && minute == 0)
        else { return nil }
        self.minutes = hour * 60 + minute
    }

    public var description: String {
        let h = hour < 10 ? "0\(hour)" : "\(hour)"
        let m = minute < 10 ? "0\(minute)" : "\(minute)"
        return "\(h):\(m)"
    }

    public static func < (a: Self, b: Self) -> Bool { a.minutes < b.minutes }

    public init?(codedText: String) { self.init(parsing: codedText) }
    public var codedText: String { description }
    public static let codedTextShape = "a time HH:MM"
}

/// ISO weekday: Monday is 1, Sunday is 7.
public enum Weekday: Int, CaseIterable, Sendable, TextCoded, Comparable, CustomStringConvertible {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    public var name: String {
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][rawValue - 1]
    }
    public var description: String { name }

    /// Accepts English day names in any case, full or three-letter ("Mon", "monday").
    public init?(name: String) {
        let key = name.trimmingCharacters(in: .whitespaces).lowercased()
        guard let day = Weekday.allCases.first(where: { $0.name.lowercased() == key || String($0.name.lowercased().prefix(3)) == key })
        else { return nil }
        self = day
    }

    /// From Foundation's Calendar weekday (Sunday = 1).
    public init(calendarWeekday: Int) { self = Weekday(rawValue: (calendarWeekday + 5) % 7 + 1)! }

    public var next: Weekday { Weekday(rawValue: rawValue % 7 + 1)! }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public init?(codedText: String) { self.init(name: codedText) }
    public var codedText: String { name.lowercased() }
    public static let codedTextShape = "a weekday"
    // A raw-value enum's own Codable would win over TextCoded's defaults.
    public init(from decoder: any Decoder) throws { self = try Self.decodeText(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try encodeText(to: encoder) }
}
