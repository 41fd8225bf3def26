import Foundation
import Logging
import StationKit

/// Writes `site/nowplaying.json` atomically; an unwritable site folder is logged once per change of
/// state (failing / working again), never every tick, and never stops the stream.
struct NowPlayingWriter: Sendable {
    var site: URL
    private var lastFailure: String?
    private let logger: Logger

    init(site: URL, logger: Logger) {
        self.site = site
        self.logger = logger
    }

    var file: URL { site.appendingPathComponent(SiteFiles.nowPlaying) }

    /// Returns whether the file was written.
    @discardableResult
    mutating func write(_ document: NowPlayingDocument) -> Bool {
        do {
            let data = try document.encoded()
            try AtomicFileWriter.write(data, to: file)
            if let lastFailure {
                logger.notice(
                    "nowplaying.json is written again",
                    metadata: [
                        "nowplaying.file": "\(file.path)",
                        "nowplaying.previous_error": "\(lastFailure)",
                    ])
                self.lastFailure = nil
            }
            return true
        } catch {
            let text = "\(error)"
            if text != lastFailure {
                logger.error(
                    "cannot update nowplaying.json; the stream continues",
                    metadata: ["nowplaying.error": "\(text)"])
                lastFailure = text
            }
            return false
        }
    }
}
