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

    /// `onair-pages 2\n`, then per page: key, size, mtime, inode (8 bytes each, little-endian),
    /// the path's length (4 bytes) and the path (UTF-8). Read without parsing text (ten thousand pages).
    static let magic = Array("onair-pages 2\n".utf8)

    static func read(for outputURL: URL) -> PageCache {
        guard let url = location(for: outputURL), let data = try? Data(contentsOf: url) else { return PageCache() }
        return decode(data)
    }

    /// The entries in `data`; none when it is not this format (an older cache), and only the
    /// whole entries before a cut-off end.
    static func decode(_ data: Data) -> PageCache {
        var cache = PageCache()
        data.withUnsafeBytes { raw in
            guard raw.count >= magic.count, raw.prefix(magic.count).elementsEqual(magic) else { return }
            var index = magic.count
            func integer(_ width: Int) -> UInt64 {
                var value: UInt64 = 0
                for offset in 0..<width { value |= UInt64(raw[index + offset]) << (8 * offset) }
                index += width
                return value
            }
            cache.entries.reserveCapacity((raw.count - index) / 60)
            while index + 36 <= raw.count {
                let key = integer(8), size = integer(8), mtime = integer(8), inode = integer(8)
                let length = Int(integer(4))
                guard index + length <= raw.count else { break }
                let path = String(decoding: UnsafeRawBufferPointer(rebasing: raw[index..<index + length]), as: UTF8.self)
                index += length
                cache.entries[path] = Entry(key: key, file: FileStamp(size: Int64(bitPattern: size), mtime: Int64(bitPattern: mtime),
                                                                      inode: inode))
            }
        }
        return cache
    }

    /// The file `read` takes back.
    func encoded() -> Data {
        var bytes = PageCache.magic
        bytes.reserveCapacity(bytes.count + entries.count * 72)
        func append(_ value: UInt64, _ width: Int) {
            for offset in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * offset))) }
        }
        for (path, entry) in entries {
            append(entry.key, 8)
            append(UInt64(bitPattern: entry.file.size), 8)
            append(UInt64(bitPattern: entry.file.mtime), 8)
            append(entry.file.inode, 8)
            append(UInt64(path.utf8.count), 4)
            bytes.append(contentsOf: path.utf8)
        }
        return Data(bytes)
    }

    /// Best effort: without it the next build renders every page.
    func write(for outputURL: URL) {
        guard let url = Self.location(for: outputURL) else { return }
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? encoded().write(to: url, options: .atomic)
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
