import Foundation

/// `onair report`: reads a playout log and prints it as CSV (every aired item, in order) or as a
/// SoundExchange-style report of use (music only, one row per recording with its performances).
/// docs/REPORTS.md says what each column is and where it comes from.
public struct PlayoutReport: Sendable {
    public enum Format: String, Sendable, CaseIterable { case csv, soundexchange }

    /// A line of the log that is not an entry: `FILE:LINE: warning: ...` on stderr, the rest goes on.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String
        public var description: String { "\(file):\(line): warning: \(message)" }
    }

    public private(set) var entries: [PlayoutEntry] = []
    public private(set) var problems: [Problem] = []

    /// Parses the log text; `from`/`to` keep entries that started in `[from, to)`.
    public init(log text: String, file: String, from: Date? = nil, to: Date? = nil) {
        let decoder = JSONDecoder.onAir()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let entry = try? decoder.decode(PlayoutEntry.self, from: Data(trimmed.utf8)) else {
                problems.append(Problem(file: file, line: index + 1, message: "not a playout entry (skipped)"))
                continue
            }
            if let from, entry.start < from { continue }
            if let to, entry.start >= to { continue }
            entries.append(entry)
        }
        entries.sort { $0.start < $1.start }
    }

    /// `2026-12-04` (a UTC day: `--from` takes its start, `--to` its end) or a full timestamp.
    public static func date(_ text: String, endOfDay: Bool) -> Date? {
        if let instant = ISO8601.date(text) { return instant }
        guard let day = ISO8601.date(text + "T00:00:00Z") else { return nil }
        return endOfDay ? day.addingTimeInterval(86_400) : day
    }

    public func render(_ format: Format, service: String) -> String {
        switch format {
        case .csv: csv()
        case .soundexchange: soundExchange(service: service)
        }
    }

    static let csvColumns = ["start", "seconds", "artist", "title", "album", "label", "isrc", "show", "kind", "file", "listeners"]

    func csv() -> String {
        var lines = [Self.csvColumns.joined(separator: ",")]
        for entry in entries {
            let fields = [
                ISO8601.string(entry.start), String(format: "%.1f", entry.seconds), entry.artist ?? "", entry.title,
                entry.album ?? "", entry.label ?? "", entry.isrc ?? "", entry.show, entry.kind.rawValue,
                entry.file ?? "", String(entry.listeners),
            ]
            lines.append(fields.map(Self.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static let soundExchangeColumns = [
        "NAME_OF_SERVICE", "FEATURED_ARTIST", "SOUND_RECORDING_TITLE", "ISRC", "ALBUM_TITLE",
        "MARKETING_LABEL", "ACTUAL_TOTAL_PERFORMANCES", "PLAYS",
    ]

    /// Music only; one row per recording (artist, title, ISRC, album, label) in order of first
    /// play; performances = the sum of listeners at the start of each play. Tab-separated.
    func soundExchange(service: String) -> String {
        struct Key: Hashable { var artist, title, isrc, album, label: String }
        var order: [Key] = []
        var totals: [Key: (performances: Int, plays: Int)] = [:]
        for entry in entries where entry.kind == .music {
            let key = Key(
                artist: entry.artist ?? "", title: entry.title, isrc: entry.isrc ?? "", album: entry.album ?? "",
                label: entry.label ?? "")
            if totals[key] == nil { order.append(key) }
            let sum = totals[key, default: (0, 0)]
            totals[key] = (sum.performances + entry.listeners, sum.plays + 1)
        }
        var lines = [Self.soundExchangeColumns.joined(separator: "\t")]
        for key in order {
            let sum = totals[key] ?? (0, 0)
            let fields = [service, key.artist, key.title, key.isrc, key.album, key.label, String(sum.performances), String(sum.plays)]
            lines.append(fields.map(Self.tsvField).joined(separator: "\t"))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180 quoting; a text a spreadsheet would run as a formula gets a leading `'`.
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first), Double(value) == nil { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Tabs and line breaks in tags become spaces: they would split the row.
    static func tsvField(_ text: String) -> String {
        String(text.map { $0 == "\t" || $0.isNewline ? " " : $0 })
    }
}
