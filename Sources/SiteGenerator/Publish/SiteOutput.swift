import Foundation

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
final class FileCount: SiteOutput, @unchecked Sendable {
    private let lock = NSLock()
    private var paths: Set<String> = []

    var files: Int { lock.lock(); defer { lock.unlock() }; return paths.count }

    func put(_ path: String, _ data: Data) { lock.lock(); paths.insert(path); lock.unlock() }
    func put(_ path: String, writing: ((String) -> Void) -> Void) { put(path, Data()) }
    func keep(_ path: String, stamp: FileStamp) { put(path, Data()) }
}

/// Page keys collected while rendering (from many threads), for the next build's `PageCache`.
final class PageKeys: @unchecked Sendable {
    private let lock = NSLock()
    private var keys: [String: UInt64] = [:]
    private var renderedPaths: [String] = []

    func set(_ path: String, _ key: UInt64) { lock.lock(); keys[path] = key; lock.unlock() }

    /// Pages rendered by this build (the others were kept from the last one), sorted.
    var rendered: [String] { lock.lock(); defer { lock.unlock() }; return renderedPaths.sorted() }
    func rendered(_ path: String) { lock.lock(); renderedPaths.append(path); lock.unlock() }

    /// The cache after publishing: each page's key with its published file's stamp (`stamps`).
    func cache(stamps: [String: FileStamp]) -> PageCache {
        lock.lock(); defer { lock.unlock() }
        var cache = PageCache()
        for (path, key) in keys {
            if let stamp = stamps[path] { cache.entries[path] = .init(key: key, file: stamp) }
        }
        return cache
    }
}
