import Foundation
import StationKit

/// `onair build`: Content/ + Templates/ -> site/, as a pipeline of seven named steps (`BuildSteps`).
/// Every content error of a run is collected and thrown together; on any error the output folder
/// is not touched. What the last build left (`BuildCache`) only spares work: the steps read the
/// same with it or without it.
public struct SiteBuilder: Sendable {
    public var options: BuildOptions
    /// Receives the pipeline log (`[1/7] Load content`).
    public var log: @Sendable (String) -> Void

    public init(options: BuildOptions, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options; self.log = log
    }

    public struct Summary: Sendable {
        /// Site-relative paths written (new or changed), and removed.
        public var written: [String]
        public var removed: [String]
        public var unchanged: Int
        public var files: Int
        /// The reference "now" the build used.
        public var now: Date
        /// Pages this build rendered; the others were kept as published (their inputs are unchanged).
        public var rendered: [String] = []
    }

    static let steps = [
        "Load content", "Load templates", "Read assets and images", "Render Markdown",
        "Render pages and feeds", "Check links", "Publish",
    ]

    private func step(_ number: Int) {
        log("[\(number)/\(Self.steps.count)] \(Self.steps[number - 1])")
    }

    public func run() throws(ContentErrors) -> Summary {
        // Before anything is read or written: a build never replaces what it did not publish.
        if options.write, let refusal = PublishedFiles.refusal(options) { throw ContentErrors([refusal]) }
        let cache = BuildCache(options)
        if let last = cache.lastBuildIfNothingChanged() {
            log("      0 written, \(last.files) unchanged, 0 removed (nothing changed since the last build)")
            return Summary(written: [], removed: [], unchanged: last.files, files: last.files, now: last.now)
        }
        var build = BuildSteps(options: options, cache: cache)
        step(1); build.loadContent()
        for warning in build.warnings { log(warning) }
        step(2); build.loadTemplates()
        step(3); try build.readAssetsAndImages()
        step(4); try build.renderMarkdown()
        step(5); try build.renderPagesAndFeeds()
        step(6); try build.checkLinks()
        step(7)
        let summary = try build.publish()
        if options.write {
            log("      \(summary.written.count) written, \(summary.unchanged) unchanged, \(summary.removed.count) removed")
        } else {
            log("      check only: \(summary.files) files would be written, nothing changed")
        }
        return summary
    }

    /// Plain FNV-1a over names and bytes: a short content hash for `?v=` cache busting (its value
    /// is in the published pages, so it must not change from one onair to the next).
    static func hash(_ files: [(String, Data)]) -> String {
        var hash = Fingerprint()
        for (name, data) in files {
            hash.addBytes(name.utf8); hash.addBytes(CollectionOfOne(0))
            hash.addBytes(data); hash.addBytes(CollectionOfOne(0))
        }
        return String(String(hash.value, radix: 16).suffix(10))
    }
}
