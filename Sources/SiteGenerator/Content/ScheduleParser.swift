import Foundation
import StationKit

/// Reads `Content/schedule.md`: one `## Monday` … `## Sunday` heading per day, each with a
/// `| Time | Show |` table, plus a `## Specials` table `| Date | Time | Show | Title |` of dated
/// one-off slots that override the week. Collects every problem with its line.
struct ScheduleParser {
    /// What the parser needs to know about a show.
    struct ShowRef: Sendable {
        var slug: String
        var title: String
    }

    var path: String
    /// The content folder as the user named it (`Content`), for messages about missing show files.
    var contentPath: String
    var shows: [ShowRef]
    /// Slugs of shows marked `draft: true`: named in the error instead of "unknown".
    var drafts: Set<String> = []

    /// Where each slot was written, for the schedule page and messages.
    struct Located<Slot: Sendable>: Sendable { var slot: Slot; var line: Int }

    struct Result: Sendable {
        var weekly: [Located<WeeklySlot>]
        var specials: [Located<SpecialSlot>]
        var errors: [ContentError]
    }

    private enum Section { case none, day(Weekday), specials, unknownDay }

    func parse(_ text: String) -> Result {
        var result = Result(weekly: [], specials: [], errors: [])
        var section = Section.none
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var inFence = false
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") { inFence.toggle(); continue }
            if inFence { continue }
            if line.hasPrefix("## ") {
                let name = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
                if name.lowercased() == "specials" {
                    section = .specials
                } else if let day = Weekday(name: name) {
                    section = .day(day)
                } else {
                    result.errors.append(error(number, "unknown weekday '\(name)' (use Monday to Sunday, or Specials)"))
                    section = .unknownDay
                }
                continue
            }
            if line.hasPrefix("# ") { section = .none; continue }
            guard line.hasPrefix("|") else { continue }
            let cells = Self.cells(line)
            if Self.isSeparator(cells) { continue }
            if index + 1 < lines.count, Self.isSeparator(Self.cells(lines[index + 1].trimmingCharacters(in: .whitespaces))) {
                continue  // header row
            }
            switch section {
            case .unknownDay:
                continue  // reported at its heading
            case .none:
                result.errors.append(error(number, "slot outside a day (put it under a '## Monday' … '## Sunday' or '## Specials' heading)"))
            case .day(let day):
                guard cells.count >= 2 else {
                    result.errors.append(error(number, "expected a row like '| 22:00–02:00 | [Night Owls](shows/night-owls.md) |'"))
                    continue
                }
                guard let (start, end) = times(cells[0], number, &result.errors),
                    let slug = show(cells[1], number, &result.errors)
                else { continue }
                if start == end {
                    result.errors.append(error(number, "slot \(start)–\(end) on \(day) has no length (the end equals the start)"))
                    continue
                }
                result.weekly.append(Located(slot: WeeklySlot(day: day, start: start, end: end, show: slug), line: number))
            case .specials:
                guard cells.count >= 3 else {
                    result.errors.append(
                        error(number, "expected a row like '| 2026-12-31 | 22:00–01:00 | [Night Owls](shows/night-owls.md) | New Year's Eve |'"))
                    continue
                }
                guard let date = LocalDate(parsing: cells[0]) else {
                    result.errors.append(error(number, "'\(cells[0])' is not a date (use YYYY-MM-DD)"))
                    continue
                }
                guard let (start, end) = times(cells[1], number, &result.errors),
                    let slug = show(cells[2], number, &result.errors)
                else { continue }
                if start == end {
                    result.errors.append(error(number, "slot \(start)–\(end) on \(date) has no length (the end equals the start)"))
                    continue
                }
                let title = cells.count > 3 && !cells[3].isEmpty ? cells[3] : nil
                result.specials.append(
                    Located(
                        slot: SpecialSlot(date: date, start: start, end: end, show: slug, title: title),
                        line: number))
            }
        }
        result.errors += overlaps(
            result.weekly,
            span: { slot in
                let start = (slot.day.rawValue - 1) * 1440 + slot.start.minutes
                return (start, start + slot.lengthMinutes)
            }, wrap: 7 * 1440, label: { "on \($0.day)" })
        result.errors += overlaps(
            result.specials,
            span: { slot in
                let start = Self.dayNumber(slot.date) * 1440 + slot.start.minutes
                return (start, start + slot.lengthMinutes)
            }, wrap: nil, label: { "on \($0.date)" })
        result.errors.sort { ($0.line ?? 0) < ($1.line ?? 0) }
        return result
    }

    private func error(_ line: Int, _ message: String) -> ContentError {
        ContentError(path: path, line: line, message: message)
    }

    /// `22:00–02:00` (en dash, hyphen or em dash).
    private func times(_ cell: String, _ line: Int, _ errors: inout [ContentError]) -> (TimeOfDay, TimeOfDay)? {
        let parts = cell.split(whereSeparator: { $0 == "–" || $0 == "-" || $0 == "—" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else {
            errors.append(error(line, "'\(cell)' is not a time range (write it like 22:00–02:00)"))
            return nil
        }
        var result: [TimeOfDay] = []
        for part in parts {
            guard let time = TimeOfDay(parsing: part), time.minutes < 1440 || part == parts[1] else {
                errors.append(error(line, "'\(part)' is not a time (use HH:MM from 00:00 to 23:59; 24:00 only as an end)"))
                return nil
            }
            result.append(time)
        }
        let end = result[1].minutes == 1440 ? TimeOfDay(minutes: 0) : result[1]
        return (result[0], end)
    }

    /// `[Night Owls](shows/night-owls.md)`, `shows/night-owls.md`, `night-owls` or the show's title.
    private func show(_ cell: String, _ line: Int, _ errors: inout [ContentError]) -> String? {
        var key = cell
        if let open = cell.firstIndex(of: "("), let close = cell.lastIndex(of: ")"), open < close, cell.hasPrefix("[") {
            key = String(cell[cell.index(after: open)..<close])
        }
        key = key.trimmingCharacters(in: .whitespaces)
        if key.hasSuffix(".md") || key.hasPrefix("/shows/") || key.contains("/") {
            let name = key.split(separator: "/").last.map(String.init) ?? key
            key = name.hasSuffix(".md") ? String(name.dropLast(3)) : name
        }
        if let match = shows.first(where: { $0.slug == key || $0.title.lowercased() == key.lowercased() }) {
            return match.slug
        }
        if drafts.contains(key) {
            errors.append(
                error(line, "show '\(key)' is a draft (remove 'draft: true' from \(contentPath)/shows/\(key).md, or take it off the schedule)"))
            return nil
        }
        errors.append(error(line, "unknown show '\(key)' (there is no \(contentPath)/shows/\(key).md)"))
        return nil
    }

    private func title(of slug: String) -> String { shows.first { $0.slug == slug }?.title ?? slug }

    private func overlaps<Slot: Sendable>(
        _ slots: [Located<Slot>], span: (Slot) -> (Int, Int), wrap: Int?,
        label: (Slot) -> String
    ) -> [ContentError] where Slot: SlotDescribing {
        var errors: [ContentError] = []
        for (i, later) in slots.enumerated() {
            let (ls, le) = span(later.slot)
            for earlier in slots[..<i] {
                let (es, ee) = span(earlier.slot)
                let shifts = wrap.map { [0, $0, -$0] } ?? [0]
                if shifts.contains(where: { ls < ee + $0 && es + $0 < le }) {
                    errors.append(
                        error(
                            later.line,
                            "slot \(later.slot.start)–\(later.slot.end) \(label(later.slot)) overlaps '\(title(of: earlier.slot.show))' (line \(earlier.line))"
                        ))
                    break
                }
            }
        }
        return errors
    }

    /// Days since 1970-01-01 (for ordering specials in local time).
    static func dayNumber(_ date: LocalDate) -> Int {
        let y = date.month <= 2 ? date.year - 1 : date.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (date.month + 9) % 12
        let doy = (153 * mp + 2) / 5 + date.day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func cells(_ line: String) -> [String] {
        var body = Substring(line)
        if body.hasPrefix("|") { body = body.dropFirst() }
        if body.hasSuffix("|") { body = body.dropLast() }
        return body.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    static func isSeparator(_ cells: [String]) -> Bool {
        !cells.isEmpty && cells.allSatisfy { cell in !cell.isEmpty && cell.allSatisfy { $0 == "-" || $0 == ":" } }
    }
}

/// What overlap messages need from a slot.
protocol SlotDescribing { var start: TimeOfDay { get }; var end: TimeOfDay { get }; var show: String { get } }
extension WeeklySlot: SlotDescribing {}
extension SpecialSlot: SlotDescribing {}
