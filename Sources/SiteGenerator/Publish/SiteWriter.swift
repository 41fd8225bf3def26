import Foundation
import StationKit

/// Step 7: publishing a site into the output folder (`SiteStage` does the work).
///
/// The new site is first written to a staging folder next to the output (same file system), then
/// each file that differs is renamed over the old one; files whose bytes are unchanged are not
/// touched (their mtime stays, so rsync and CDNs move only what changed). Of the files the new
/// build no longer produces, only those an earlier build published (`PublishedFiles`) are
/// removed, never `nowplaying.json` (the daemon's) or dotfiles (`.gitkeep`).
enum SiteWriter {
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

    /// `nowplaying.json` belongs to the daemon; dotfiles (`.gitkeep`) to whoever put them there.
    static func isKept(_ path: String) -> Bool {
        path == SiteFiles.nowPlaying || path.split(separator: "/").contains { $0.hasPrefix(".") }
    }
}
