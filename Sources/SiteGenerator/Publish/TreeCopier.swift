import Foundation

/// Copies a built site into a new release folder for `SitePublisher`: folders are created, each
/// file whose bytes equal the live copy's is hard-linked to it (same inode: same mtime, same ETag,
/// no space), every other file is copied with its mtime. Symbolic links in the site are copied as
/// links; anything else (sockets, devices) is skipped.
struct TreeCopier {
    /// The folder served now, or nil on a first publish.
    var linkFrom: String?
    private(set) var files = 0
    private(set) var linked = 0

    init(linkFrom: String?) { self.linkFrom = linkFrom }

    struct CopyError: Error, LocalizedError {
        var path: String
        var reason: String
        var errorDescription: String? { "\(path): \(reason)" }
    }

    mutating func copy(from source: String, to target: String, skipTopLevel: Set<String>) throws {
        guard mkdir(target, 0o755) == 0 else { throw CopyError(path: target, reason: SitePublisher.reason()) }
        try copyFolder(source, target, relative: "", skip: skipTopLevel)
    }

    private mutating func copyFolder(_ source: String, _ target: String, relative: String, skip: Set<String>) throws {
        let entries = try FileManager.default.contentsOfDirectory(atPath: source).sorted()
        for entry in entries where !skip.contains(entry) {
            let from = source + "/" + entry, to = target + "/" + entry
            let path = relative.isEmpty ? entry : relative + "/" + entry
            var info = stat()
            guard lstat(from, &info) == 0 else { throw CopyError(path: from, reason: SitePublisher.reason()) }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                guard mkdir(to, 0o755) == 0 else { throw CopyError(path: to, reason: SitePublisher.reason()) }
                try copyFolder(from, to, relative: path, skip: [])
            case S_IFREG:
                try copyFile(from, to, relative: path, info: info)
            case S_IFLNK:
                let destination = try FileManager.default.destinationOfSymbolicLink(atPath: from)
                guard symlink(destination, to) == 0 else { throw CopyError(path: to, reason: SitePublisher.reason()) }
            default:
                continue
            }
        }
    }

    private mutating func copyFile(_ from: String, _ to: String, relative: String, info: stat) throws {
        files += 1
        if let linkFrom {
            let live = linkFrom + "/" + relative
            var liveInfo = stat()
            if lstat(live, &liveInfo) == 0, (liveInfo.st_mode & S_IFMT) == S_IFREG, liveInfo.st_size == info.st_size,
                SiteStage.sameBytes(from, live), link(live, to) == 0
            {
                linked += 1
                return
            }
        }
        guard let data = FileManager.default.contents(atPath: from) else {
            throw CopyError(path: from, reason: "cannot read the file")
        }
        try SiteStage.write(data, to: to)
        var times = [info.st_atim, info.st_mtim]
        utimensat(AT_FDCWD, to, &times, 0)
        chmod(to, (info.st_mode & 0o777) | 0o444)
    }
}
