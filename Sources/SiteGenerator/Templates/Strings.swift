import Foundation
import StationKit

/// The fixed texts of the pages and scripts in the station's language: `Templates/strings/<language>.yaml`
/// (`language:` in station.yaml), flat `key: text` lines. `en.yaml` is the reference: a language
/// file that lacks one of its keys is an error naming the key, so no page shows a gap or falls back
/// to English unnoticed. Templates read them as `{{t.key}}`; the `js_` keys, the day and month names
/// go to the scripts as JSON (`script_json`).
struct Strings: Sendable, Equatable {
    var language: String
    var table: [String: String]

    static let folder = "strings"
    static let reference = "en"

    subscript(_ key: String) -> String { table[key] ?? Self.fallback[key] ?? key }

    /// The texts the generator itself puts into pages, for templates without a `strings/` folder
    /// (what OnAir wrote before pages had languages).
    static let fallback: [String: String] = {
        var table = [
            "nav_listen": "Listen", "nav_schedule": "Schedule", "nav_shows": "Shows", "nav_news": "News",
            "schedule": "Schedule", "shows": "Shows", "news": "News", "page": "Page", "player": "Player",
            "not_found": "Not found", "not_found_description": "This page does not exist.",
            "schedule_description": "The weekly schedule of", "shows_description": "Every show on",
            "news_description": "News from", "listening_to": "Listening to", "on_station": "on", "with": "with",
        ]
        for day in Weekday.allCases {
            table["day_" + day.name.lowercased()] = day.name
            table["days_" + day.name.lowercased()] = day.name + "s"
        }
        for (index, month) in [
            "January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December",
        ].enumerated() { table["month_\(index + 1)"] = month }
        return table
    }()

    static let english = Strings(language: "en", table: [:])

    /// `Monday` / `Montag`.
    func dayName(_ day: Weekday) -> String { self["day_" + day.name.lowercased()] }
    /// `Mondays` / `montags`.
    func daysName(_ day: Weekday) -> String { self["days_" + day.name.lowercased()] }
    /// `20 November 2026` / `20. November 2026`.
    func dateLabel(_ date: LocalDate) -> String {
        let month = (1...12).contains(date.month) ? self["month_\(date.month)"] : String(date.month)
        return language == "de" ? "\(date.day). \(month) \(date.year)" : "\(date.day) \(month) \(date.year)"
    }

    /// What the scripts get: the `js_` texts (without the prefix) and the day and month names.
    var scriptJSON: String {
        var picked: [String: String] = [:]
        for (key, value) in table where key.hasPrefix("js_") { picked[String(key.dropFirst(3))] = value }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(picked)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Reads the language's file and checks it against `en.yaml`. A station whose templates have no
    /// `strings/` folder gets nil (and its templates their own fixed texts).
    static func load(templatesURL: URL, templatesPath: String, language: String) -> Result<Strings, ContentErrors>? {
        let folder = templatesURL.appendingPathComponent(Self.folder)
        let display = "\(templatesPath)/\(Self.folder)"
        guard FileManager.default.fileExists(atPath: folder.path) else { return nil }
        let code = language.lowercased().split(separator: "-").first.map(String.init) ?? language
        var errors: [ContentError] = []
        func read(_ name: String) -> ([String: String], [String: Int])? {
            let url = folder.appendingPathComponent("\(name).yaml")
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            do {
                let file = try SourceFile.read(url, displayPath: "\(display)/\(name).yaml")
                return parse(file, &errors)
            } catch { errors.append(error); return ([:], [:]) }
        }
        guard let (reference, _) = read(Self.reference) else {
            return .failure(
                ContentErrors([
                    ContentError(
                        path: "\(display)/\(Self.reference).yaml",
                        message:
                            "missing (every language is checked against it; copy it from the OnAir repository's Templates/strings/)")
                ]))
        }
        let table: [String: String]
        if code == Self.reference {
            table = reference
        } else {
            let shipped = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
                .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
            guard let (own, _) = read(code) else {
                return .failure(
                    ContentErrors([
                        ContentError(
                            path: "\(display)/\(code).yaml",
                            message:
                                "does not exist, but station.yaml says language: \(language) (there are: \(shipped.joined(separator: ", ")); translate en.yaml)"
                        )
                    ]))
            }
            for key in reference.keys.sorted() where own[key] == nil {
                errors.append(
                    ContentError(
                        path: "\(display)/\(code).yaml", message: "missing key '\(key)' (\(Self.reference).yaml: \"\(reference[key] ?? "")\")"))
            }
            table = own
        }
        guard errors.isEmpty else { return .failure(ContentErrors(errors)) }
        return .success(Strings(language: code, table: table))
    }

    /// `key: text` lines (YAML scalars; `#` comments); errors with the file's line.
    static func parse(_ file: SourceFile, _ errors: inout [ContentError]) -> ([String: String], [String: Int]) {
        let fields: YAMLFields
        do { fields = try YAMLFields.parse(file.text, path: file.displayPath, firstLine: 1, what: "a strings file") } catch {
            errors.append(error)
            return ([:], [:])
        }
        var copy = fields
        var table: [String: String] = [:]
        var lines: [String: Int] = [:]
        for key in fields.keys {
            if let value = copy.string(key) { table[key] = value; lines[key] = copy.line(key) }
        }
        errors += copy.errors
        return (table, lines)
    }
}
