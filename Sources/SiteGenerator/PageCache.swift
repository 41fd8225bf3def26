import Foundation

/// What each published page was rendered from: its key (the page's whole template context, the
/// templates, the link universe and the `onair` executable; see `SiteRenderer.render`) and the
/// published file's size, modification time and inode right after the build. A page whose key
/// and file are both unchanged is neither rendered nor compared again. Kept beside the build
/// manifest in the user's cache folder; without it (or with a stale one) pages are rendered.
struct PageCache {
    struct Entry: Equatable {
        var key: UInt64
        var file: FileStamp
    }

    var entries: [String: Entry] = [:]

    static func location(for outputURL: URL) -> URL? {
        BuildManifest.location(for: outputURL).map { URL(fileURLWithPath: $0.path + "-pages") }
    }

    static func read(for outputURL: URL) -> PageCache {
        var cache = PageCache()
        guard let url = location(for: outputURL), let text = try? String(contentsOf: url, encoding: .utf8) else { return cache }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 4)
            guard fields.count == 5, let key = UInt64(fields[0], radix: 16), let size = Int64(fields[1]),
                  let mtime = Int64(fields[2]), let inode = UInt64(fields[3]) else { continue }
            cache.entries[String(fields[4])] = Entry(key: key, file: FileStamp(size: size, mtime: mtime, inode: inode))
        }
        return cache
    }

    /// Best effort: without it the next build renders every page.
    func write(for outputURL: URL) {
        guard let url = Self.location(for: outputURL) else { return }
        var text = ""
        text.reserveCapacity(entries.count * 80)
        for (path, entry) in entries.sorted(by: { $0.key < $1.key }) {
            text += "\(String(entry.key, radix: 16)) \(entry.file.size) \(entry.file.mtime) \(entry.file.inode) \(path)\n"
        }
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(text.utf8).write(to: url, options: .atomic)
    }
}

/// A file's size, modification time (ns) and inode: it changed if any of them did.
struct FileStamp: Equatable {
    var size: Int64
    var mtime: Int64
    var inode: UInt64

    init(size: Int64, mtime: Int64, inode: UInt64) { self.size = size; self.mtime = mtime; self.inode = inode }

    init(_ info: stat) {
        size = Int64(info.st_size)
        mtime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        inode = UInt64(info.st_ino)
    }

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        self.init(info)
    }

    /// As `BuildManifest` writes a file's stat into its fingerprint.
    var manifestText: String { "\(size) \(mtime / 1_000_000_000).\(mtime % 1_000_000_000) \(inode)" }
}
