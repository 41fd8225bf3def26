import Foundation

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
