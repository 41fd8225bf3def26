import Foundation
import StationKit

/// Everything `Content/` holds, loaded and validated: the input of the render steps.
struct StationContent: Sendable {
    var profile: StationProfile
    var timeZone: TimeZone
    var shows: [Show]
    var pages: [Article]
    /// Newest first.
    var posts: [Article]
    var schedule: Schedule
    /// Lines of the weekly slots in `schedule.md`, in the order written (for stable output).
    var weeklySlots: [WeeklySlot]
    /// Content-relative paths of files under `Content/images/` (`images/logo.svg`), sorted.
    var images: [String]
    /// Markdown source files by content-relative path, for link checking with line numbers.
    var sources: [String: SourceDocument]
    /// onaird's recordings (`--recordings` / station.yaml `recordings:`); nil when not configured.
    var recordings: RecordingsFolder? = nil

    func show(_ slug: String) -> Show? { shows.first { $0.slug == slug } }
}

/// A Markdown body and where it came from.
struct SourceDocument: Sendable {
    var displayPath: String
    /// Content-relative path: `shows/night-owls.md`.
    var relativePath: String
    var body: String
    var bodyLine: Int
    /// Site URL of the page it becomes.
    var url: String
    /// `Fingerprint` of `body` (or, while `unreadFile` is set, of the body in that file).
    var bodyDigest: UInt64
    /// The file (path) the body is still to be read from: its front matter came from `ContentCache`, and
    /// the body is read only if it must be rendered (`loadingBody()`). Nil when `body` holds it.
    var unreadFile: String?

    init(displayPath: String, relativePath: String, body: String, bodyLine: Int, url: String) {
        self.init(
            displayPath: displayPath, relativePath: relativePath, body: body, bodyDigest: Self.digest(body),
            unreadFile: nil, bodyLine: bodyLine, url: url)
    }

    /// With `unreadFile`, `body` is empty and stays in the file until it is needed.
    init(displayPath: String, relativePath: String, body: String, bodyDigest: UInt64, unreadFile: String?, bodyLine: Int, url: String) {
        self.displayPath = displayPath; self.relativePath = relativePath; self.body = body
        self.bodyLine = bodyLine; self.url = url; self.bodyDigest = bodyDigest; self.unreadFile = unreadFile
    }

    static func digest(_ body: String) -> UInt64 {
        var fingerprint = Fingerprint()
        fingerprint.add(body)
        return fingerprint.value
    }

    /// This document with its body read from `unreadFile` (the file as it is now), or itself.
    func loadingBody() throws(ContentError) -> SourceDocument {
        guard let unreadFile else { return self }
        let parts = try FrontMatter.split(try SourceFile.read(path: unreadFile, displayPath: displayPath))
        var loaded = SourceDocument(
            displayPath: displayPath, relativePath: relativePath, body: parts.body,
            bodyLine: parts.bodyLine, url: url)
        loaded.unreadFile = nil
        return loaded
    }
}

/// The Markdown documents of a build, each handed out once and then let go (ten thousand posts'
/// texts need not stay in memory beside their HTML).
final class DocumentQueue: Sendable {
    private let documents: Locked<[SourceDocument?]>
    let count: Int

    init(_ documents: [SourceDocument]) { self.documents = Locked(documents); count = documents.count }

    func take(_ index: Int) -> SourceDocument {
        let document = documents.withLock { documents in
            defer { documents[index] = nil }
            return documents[index]
        }
        return document ?? SourceDocument(displayPath: "", relativePath: "", body: "", bodyLine: 1, url: "")
    }
}
