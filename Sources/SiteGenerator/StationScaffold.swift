import Foundation

/// `onair init DIR --name "Station Name" --timezone Europe/Berlin`: a new station that builds at
/// once — `Content/` with a profile, an empty week, one show and an About page, and a copy of the
/// templates — and none of the example station's text.
public struct StationScaffold: Sendable {
    public var name: String
    public var timezone: String
    /// The templates to copy (the repository's `Templates/` or `/usr/share/onair/Templates`).
    public var templates: URL

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public init(name: String, timezone: String, templates: URL) {
        self.name = name
        self.timezone = timezone
        self.templates = templates
    }

    /// The files `create` writes under `Content/`, relative to it, with their text.
    public var contentFiles: [(path: String, text: String)] {
        let slug = Scaffold.slug(name).isEmpty ? "station" : Scaffold.slug(name)
        let title = quoted(name)
        let station = """
            # The station's public profile (docs/CONTENT.md). Everything here may appear on the site:
            # no passwords. Set base_url to the address listeners open.
            name: \(title)
            tagline: Independent internet radio
            description: >-
              \(name) is an internet radio station. Edit Content/station.yaml to say who you are.
            base_url: https://\(slug).example
            language: en
            timezone: \(timezone)
            streams:
              - { mount: /radio.ogg, format: vorbis, bitrate: 128, label: "Ogg Vorbis 128k" }

            """
        var schedule = """
            # Weekly schedule

            All times are station time (\(timezone)). Add a row per slot, e.g.
            `| 20:00–22:00 | [First Show](shows/first-show.md) |`; slots may cross midnight.

            """
        for day in ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] {
            schedule += "\n## \(day)\n| Time | Show |\n|------|------|\n"
        }
        let show = """
            ---
            title: First Show
            host: Your Name
            description: One or two sentences listeners see in listings and link previews.
            genres: [music]
            ---
            What the show is about, who hosts it, and what listeners can expect.

            Put it on the air with a row in `schedule.md`, e.g. `| 20:00–22:00 | [First Show](shows/first-show.md) |`.

            """
        let about = """
            ---
            title: About
            description: Who we are and how to reach us.
            ---
            \(name) is on the air. Write here who runs the station, what it plays and how to get in touch.

            """
        return [
            ("station.yaml", station), ("schedule.md", schedule), ("shows/first-show.md", show),
            ("pages/about.md", about),
        ]
    }

    /// Writes `dir/Content/...` and `dir/Templates/`; `dir` must be missing or empty. Returns the
    /// paths written, relative to `dir`.
    @discardableResult
    public func create(in dir: URL, displayPath: String) throws(Failure) -> [String] {
        let fileManager = FileManager.default
        var isFolder: ObjCBool = false
        if fileManager.fileExists(atPath: dir.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw Failure(description: "\(displayPath) is a file; onair init needs a new or empty folder")
            }
            let entries = (try? fileManager.contentsOfDirectory(atPath: dir.path)) ?? []
            guard entries.isEmpty else {
                throw Failure(
                    description:
                        "\(displayPath) is not empty (\(entries.count) entr\(entries.count == 1 ? "y" : "ies")); onair init starts a station only in a new or empty folder, and changed nothing"
                )
            }
        }
        guard fileManager.fileExists(atPath: templates.appendingPathComponent("layout.mustache").path) else {
            throw Failure(description: "no templates at \(templates.path) (layout.mustache is missing); pass --templates DIR")
        }
        var written: [String] = []
        do {
            try fileManager.createDirectory(at: dir, withIntermediateDirectories: true)
            let content = dir.appendingPathComponent("Content")
            for (path, text) in contentFiles {
                let url = content.appendingPathComponent(path)
                try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url, options: .withoutOverwriting)
                written.append("Content/" + path)
            }
            try fileManager.createDirectory(at: content.appendingPathComponent("news"), withIntermediateDirectories: true)
            try fileManager.createDirectory(at: content.appendingPathComponent("images"), withIntermediateDirectories: true)
            try Self.copyTree(templates.path, to: dir.appendingPathComponent("Templates").path)
            written.append("Templates/")
        } catch {
            throw Failure(description: "cannot write the new station in \(displayPath) (\(error.localizedDescription))")
        }
        return written
    }

    /// Copies folders and files (contents only: `FileManager.copyItem` also copies the owner, which
    /// fails for anyone but root when the templates belong to root, as installed ones do).
    static func copyTree(_ source: String, to target: String) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: target, withIntermediateDirectories: false)
        for entry in try fileManager.contentsOfDirectory(atPath: source).sorted() {
            let from = source + "/" + entry, to = target + "/" + entry
            var isFolder: ObjCBool = false
            guard fileManager.fileExists(atPath: from, isDirectory: &isFolder) else { continue }
            if isFolder.boolValue {
                try copyTree(from, to: to)
            } else {
                try Data(contentsOf: URL(fileURLWithPath: from)).write(to: URL(fileURLWithPath: to), options: .withoutOverwriting)
            }
        }
    }

    /// A YAML double-quoted scalar.
    private func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
