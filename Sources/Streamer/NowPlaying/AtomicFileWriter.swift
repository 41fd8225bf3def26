import Foundation
import StationKit

#if canImport(Glibc)
    import Glibc
#endif

/// Replaces a file so that readers only ever see the old or the new bytes: a temporary file in the
/// same folder, written in full, fsynced, renamed over the target, then the folder fsynced.
enum AtomicFileWriter {
    struct Failure: Error, CustomStringConvertible, Equatable {
        var path: String
        var function: String
        var code: Int32
        var description: String { "cannot write \(path): \(function) failed: \(ControlSocket.message(code))" }
    }

    /// When `url` is a symbolic link, the file it points to is replaced and the link stays:
    /// `onair publish` swaps the site folder and links each copy's nowplaying.json to one file
    /// outside it, so no swap loses a write.
    static func write(_ data: Data, to url: URL, mode: mode_t = 0o644) throws(Failure) {
        let (target, folder) = resolve(url)
        var template = Array("\(folder)/.\(url.lastPathComponent).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw Failure(path: target, function: "mkstemp", code: errno) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var closed = false
        func fail(_ function: String, _ code: Int32) -> Failure {
            if !closed { close(fd) }
            unlink(temporary)
            return Failure(path: target, function: function, code: code)
        }
        var offset = 0
        let total = data.count
        let writeError: Int32? = data.withUnsafeBytes { raw -> Int32? in
            while offset < total {
                let n = Glibc.write(fd, raw.baseAddress! + offset, total - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return nil
        }
        if let writeError { throw fail("write", writeError) }
        guard fchmod(fd, mode) == 0 else { throw fail("fchmod", errno) }
        guard fsync(fd) == 0 else { throw fail("fsync", errno) }
        closed = true
        guard close(fd) == 0 else { throw fail("close", errno) }
        guard rename(temporary, target) == 0 else { throw fail("rename", errno) }
        let folderFD = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderFD >= 0 {
            fsync(folderFD)
            close(folderFD)
        }
    }

    /// The file to replace and its folder: `url` itself, or the target of the link `url` is
    /// (relative to the link's real folder).
    static func resolve(_ url: URL) -> (target: String, folder: String) {
        let path = url.path
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK,
            let link = try? FileManager.default.destinationOfSymbolicLink(atPath: path), !link.isEmpty
        else {
            return (path, url.deletingLastPathComponent().path)
        }
        let target = link.hasPrefix("/") ? link : url.deletingLastPathComponent().resolvingSymlinksInPath().path + "/" + link
        return (target, URL(fileURLWithPath: target).deletingLastPathComponent().path)
    }
}
