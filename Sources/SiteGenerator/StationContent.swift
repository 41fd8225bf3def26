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
}

/// The Markdown documents of a build, each handed out once and then let go (ten thousand posts'
/// texts need not stay in memory beside their HTML).
final class DocumentQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var documents: [SourceDocument?]
    let count: Int

    init(_ documents: [SourceDocument]) { self.documents = documents; count = documents.count }

    func take(_ index: Int) -> SourceDocument {
        lock.lock(); defer { lock.unlock() }
        let document = documents[index]
        documents[index] = nil
        return document ?? SourceDocument(displayPath: "", relativePath: "", body: "", bodyLine: 1, url: "")
    }
}
