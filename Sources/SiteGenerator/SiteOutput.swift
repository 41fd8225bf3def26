import Foundation

/// Where rendered files go, one at a time and from many threads: a `SiteStage` (build) or a
/// `FileCount` (check: nothing is written).
protocol SiteOutput: Sendable {
    func put(_ path: String, _ data: Data)
    /// A big file written piece by piece.
    func put(_ path: String, writing: ((String) -> Void) -> Void)
}

extension SiteStage: SiteOutput {}

/// `onair check`: counts the files a build would write, and writes none.
final class FileCount: SiteOutput, @unchecked Sendable {
    private let lock = NSLock()
    private var paths: Set<String> = []

    var files: Int { lock.lock(); defer { lock.unlock() }; return paths.count }

    func put(_ path: String, _ data: Data) { lock.lock(); paths.insert(path); lock.unlock() }
    func put(_ path: String, writing: ((String) -> Void) -> Void) { put(path, Data()) }
}
