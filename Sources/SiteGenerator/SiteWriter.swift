import Foundation
import StationKit

/// Step 7: publishes a site into the output folder (see `SiteStage`, which does the work).
///
/// The new site is first written to a staging folder next to the output (same file system), then
/// each file that differs is renamed over the old one; files whose bytes are unchanged are not
/// touched (their mtime stays, so rsync and CDNs move only what changed). Files the new build no
/// longer produces are removed, except `nowplaying.json` (the daemon's) and dotfiles (`.gitkeep`).
struct SiteWriter {
    var outputURL: URL

    struct Report: Sendable, Equatable {
        var written: [String]
        var removed: [String]
        var unchanged: Int
    }

    struct Failure: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "\(path): error: \(reason)" }
    }

    /// Publishes a whole in-memory site at once (`SiteBuilder` streams into a `SiteStage` instead).
    func publish(_ files: [String: Data]) throws(Failure) -> Report {
        let stage = SiteStage(outputURL: outputURL)
        let paths = files.keys.sorted()
        _ = ParallelMap.map(paths) { path -> Bool in
            if let data = files[path] { stage.put(path, data) }
            return true
        }
        return try stage.publish()
    }

    /// `nowplaying.json` belongs to the daemon; dotfiles (`.gitkeep`) to whoever put them there.
    static func isKept(_ path: String) -> Bool {
        path == SiteFiles.nowPlaying || path.split(separator: "/").contains { $0.hasPrefix(".") }
    }
}
