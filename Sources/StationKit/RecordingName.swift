import Foundation

/// Names of recordings: `<YYYY-MM-DD-HHMM>` in station time, `-2`, `-3`... for later parts of the
/// same airing; the audio file adds the format's extension, the sidecar `.json`. While a part is
/// being written it is `.<name>.<ext>.part` (a dotfile nobody serves or lists).
public enum RecordingName {
    /// `2026-12-05-2200`, or `2026-12-05-2200-2` for a second part.
    public static func base(start: Date, timeZone: TimeZone, part: Int = 1) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: start)
        func pad(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let name = "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))-\(pad(c.hour, 2))\(pad(c.minute, 2))"
        return part > 1 ? "\(name)-\(part)" : name
    }

    /// The start (station time, to the minute) and part of a name made by `base`, with or without
    /// an extension; nil for any other name.
    public static func parse(_ fileName: String, timeZone: TimeZone) -> (start: Date, part: Int)? {
        let stem = fileName.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
        let fields = stem.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4 || fields.count == 5, fields[0].count == 4, fields[1].count == 2, fields[2].count == 2,
            fields[3].count == 4, let year = Int(fields[0]), let month = Int(fields[1]), let day = Int(fields[2]),
            let hhmm = Int(fields[3]), (1...12).contains(month), (1...31).contains(day), hhmm / 100 < 24, hhmm % 100 < 60
        else { return nil }
        var part = 1
        if fields.count == 5 {
            guard let value = Int(fields[4]), value >= 2 else { return nil }
            part = value
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard
            let start = calendar.date(
                from: DateComponents(year: year, month: month, day: day, hour: hhmm / 100, minute: hhmm % 100))
        else { return nil }
        return (start, part)
    }

    /// The temporary name of a file being written: `.2026-12-05-2200.opus.part`.
    public static func temporary(_ fileName: String) -> String { ".\(fileName).part" }

    /// The final name of a temporary one, nil when `fileName` is not one.
    public static func final(ofTemporary fileName: String) -> String? {
        guard fileName.hasPrefix("."), fileName.hasSuffix(".part"), fileName.count > 6 else { return nil }
        return String(fileName.dropFirst().dropLast(5))
    }

    /// A show slug safe as a folder name: what `onair build` makes of file names.
    public static func isSafeSlug(_ slug: String) -> Bool {
        !slug.isEmpty && !slug.hasPrefix(".")
            && slug.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }
    }
}
