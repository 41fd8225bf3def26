import Foundation

/// What `onair build` / `onair check` were asked to do. The executable reads flags and the
/// environment; the library only sees this.
public struct BuildOptions: Sendable {
    public var contentURL: URL
    /// The content folder as the user wrote it (`Content`): the prefix of every error path.
    public var contentPath: String
    public var templatesURL: URL
    public var templatesPath: String
    public var outputURL: URL
    /// Replaces station.yaml's `base_url` (e.g. `http://127.0.0.1:8080` for the local station).
    public var baseURL: String?
    /// The build's "now". Everything time-dependent (schedule.json's `upcoming`, next airings on the
    /// pages, the calendar's DTSTAMP) is computed from it. `nil`: the start of `clock`'s day in
    /// the station's zone, so every build on the same day gives the same bytes. The executable
    /// passes `SOURCE_DATE_EPOCH` here when it is set.
    public var now: Date?
    /// The current time (tests pin it).
    public var clock: Date
    /// `false` for `onair check`: validate and render, write nothing.
    public var write: Bool
    /// The station runs onair-api behind nginx at `/api/` (`onair build --api`): only then do the
    /// pages carry the chat panel and probe `/api/me`.
    public var api: Bool
    /// `onair build --recordings DIR`: onaird's recordings folder (beats station.yaml's `recordings:`).
    public var recordingsURL: URL?

    public init(
        contentURL: URL, contentPath: String, templatesURL: URL, templatesPath: String, outputURL: URL,
        baseURL: String? = nil, now: Date? = nil, clock: Date = Date(), write: Bool = true, api: Bool = false
    ) {
        self.contentURL = contentURL; self.contentPath = contentPath; self.templatesURL = templatesURL
        self.templatesPath = templatesPath; self.outputURL = outputURL; self.baseURL = baseURL; self.now = now
        self.clock = clock; self.write = write; self.api = api
    }

    /// The recordings folder: `--recordings`, else station.yaml's `recordings:` (relative to the
    /// content folder), found by a plain line scan so the build manifest knows it before content
    /// is loaded; nil when neither is set.
    public var recordingsFolder: URL? {
        if let recordingsURL { return recordingsURL }
        let file = contentURL.appendingPathComponent("station.yaml").path
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("recordings:") {
            var rest = line.dropFirst("recordings:".count)
            if let comment = rest.range(of: " #") { rest = rest[..<comment.lowerBound] }
            var value = Escaping.trimmed(rest, newlines: true)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            guard !value.isEmpty else { return nil }
            return value.hasPrefix("/")
                ? URL(fileURLWithPath: value) : contentURL.appendingPathComponent(value).standardizedFileURL
        }
        return nil
    }

    /// Folders named relative to the current directory, as the flags give them.
    public init(
        content: String, templates: String, output: String, baseURL: String? = nil, now: Date? = nil,
        clock: Date = Date(), write: Bool = true, api: Bool = false
    ) {
        func url(_ path: String) -> URL { URL(fileURLWithPath: path).standardizedFileURL }
        func display(_ path: String) -> String {
            var p = path
            while p.count > 1, p.hasSuffix("/") { p.removeLast() }
            if p.hasPrefix("./"), p.count > 2 { p.removeFirst(2) }
            return p
        }
        self.init(
            contentURL: url(content), contentPath: display(content), templatesURL: url(templates),
            templatesPath: display(templates), outputURL: url(output), baseURL: baseURL, now: now, clock: clock, write: write,
            api: api)
    }
}
