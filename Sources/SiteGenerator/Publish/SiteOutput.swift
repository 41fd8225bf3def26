import Foundation
import StationKit

/// Where rendered files go, one at a time and from many threads: a `SiteStage` (build) or a
/// `FileCount` (check: nothing is written).
protocol SiteOutput: Sendable {
    func put(_ path: String, _ data: Data)
    /// A big file written piece by piece.
    func put(_ path: String, writing: ((String) -> Void) -> Void)
    /// The published file (stamped `stamp`) is already right: keep it as it is.
    func keep(_ path: String, stamp: FileStamp)
}

extension SiteStage: SiteOutput {}

/// `onair check`: counts the files a build would write, and writes none.
final class FileCount: SiteOutput {
    private let paths = Locked<Set<String>>([])

    var files: Int { paths.withLock { $0.count } }

    func put(_ path: String, _ data: Data) { paths.withLock { _ = $0.insert(path) } }
    func put(_ path: String, writing: ((String) -> Void) -> Void) { put(path, Data()) }
    func keep(_ path: String, stamp: FileStamp) { put(path, Data()) }
}

/// Page keys collected while rendering (from many threads), for the next build's `PageCache`.
final class PageKeys: Sendable {
    private let keys = Locked<[String: UInt64]>([:])
    private let renderedPaths = Locked<[String]>([])

    func set(_ path: String, _ key: UInt64) { keys.withLock { $0[path] = key } }

    /// Pages rendered by this build (the others were kept from the last one), sorted.
    var rendered: [String] { renderedPaths.current.sorted() }
    func rendered(_ path: String) { renderedPaths.withLock { $0.append(path) } }

    /// The cache after publishing: each page's key with its published file's stamp (`stamps`).
    func cache(stamps: [String: FileStamp]) -> PageCache {
        var cache = PageCache()
        for (path, key) in keys.current {
            if let stamp = stamps[path] { cache.entries[path] = .init(key: key, file: stamp) }
        }
        return cache
    }
}
