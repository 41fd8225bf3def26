import Foundation
import StationKit

/// The new site as it is rendered: each file is compared with the published one the moment it is
/// done, and only a file that differs is written, into a staging folder next to the output (same
/// file system). Nothing is held in memory. `publish()` then renames the staged files over the
/// old ones and removes what the build no longer produces; `discard()` (on any error) removes the
/// staging folder and leaves the published site exactly as it was.
final class SiteStage: @unchecked Sendable {
    let outputURL: URL
    let stagingURL: URL
    private let lock = NSLock()
    private var produced: Set<String> = []
    private var changed: [String] = []
    private var folders: Set<String> = []
    private var failure: SiteWriter.Failure?
    private var fileManager: FileManager { .default }

    init(outputURL: URL) {
        self.outputURL = outputURL
        stagingURL = outputURL.deletingLastPathComponent().appendingPathComponent(
            ".site-staging-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
    }

    /// Every site-relative path handed to the stage so far.
    var files: Int { lock.lock(); defer { lock.unlock() }; return produced.count }

    /// Stages `data` as the new `path` if it differs from the published file. Safe from many threads;
    /// a failure is kept and thrown by `publish()`.
    func put(_ path: String, _ data: Data) {
        lock.lock()
        let first = produced.insert(path).inserted
        lock.unlock()
        guard first, differs(path, data) else { return }
        do {
            try makeFolder(for: path)
            try Self.write(data, to: stagingPath + "/" + path)
            lock.lock(); changed.append(path); lock.unlock()
        } catch {
            fail(SiteWriter.Failure(path: stagingURL.path, reason: "cannot write the new site (\(error.localizedDescription))"))
        }
    }

    private var stagingPath: String { stagingURL.path }

    struct WriteError: Error, LocalizedError {
        var path: String
        var errorDescription: String? { "\(path): \(String(cString: strerror(errno)))" }
    }

    /// One `open`/`write`/`close`: `Data.write(to:)` goes through URL and file-attribute work per file.
    static func write(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw WriteError(path: path) }
        defer { close(fd) }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 { if errno == EINTR { continue }; throw WriteError(path: path) }
                offset += written
            }
        }
    }

    /// Keeps the published `path` as it is (the build produces it, with the same bytes).
    func keep(_ path: String) {
        lock.lock(); produced.insert(path); lock.unlock()
    }

    /// Stages a file written piece by piece (`feed.xml` can be tens of megabytes): the pieces go
    /// to the staging folder, and the staged copy is dropped again if it equals the published file.
    func put(_ path: String, writing: ((String) -> Void) -> Void) {
        lock.lock()
        let first = produced.insert(path).inserted
        lock.unlock()
        guard first else { return }
        let url = stagingURL.appendingPathComponent(path)
        do {
            try makeFolder(for: path)
            guard fileManager.createFile(atPath: url.path, contents: nil), let handle = FileHandle(forWritingAtPath: url.path) else {
                throw SiteWriter.Failure(path: url.path, reason: "cannot create the file")
            }
            var buffer = Data()
            var writeError: (any Error)?
            writing { piece in
                buffer.append(contentsOf: piece.utf8)
                if buffer.count >= 1 << 20, writeError == nil {
                    do { try handle.write(contentsOf: buffer) } catch { writeError = error }
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            if writeError == nil { do { try handle.write(contentsOf: buffer) } catch { writeError = error } }
            try? handle.close()
            if let writeError { throw writeError }
            if Self.sameBytes(url.path, outputURL.appendingPathComponent(path).path) {
                try? fileManager.removeItem(at: url)
            } else {
                lock.lock(); changed.append(path); lock.unlock()
            }
        } catch {
            fail(SiteWriter.Failure(path: stagingURL.path, reason: "cannot write the new site (\(error.localizedDescription))"))
        }
    }

    private func fail(_ error: SiteWriter.Failure) {
        lock.lock(); if failure == nil { failure = error }; lock.unlock()
    }

    /// Whether `data` differs from the published `path` (a different size is enough; no read).
    private func differs(_ path: String, _ data: Data) -> Bool {
        let target = outputURL.path + "/" + path
        var info = stat()
        guard stat(target, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == data.count else { return true }
        guard let existing = fileManager.contents(atPath: target) else { return true }
        return existing != data
    }

    private func makeFolder(for path: String) throws {
        let folder = Self.folder(of: path)
        lock.lock()
        let known = folders.contains(folder)
        lock.unlock()
        if known { return }
        try Self.makeFolder(stagingPath + (folder.isEmpty ? "" : "/" + folder))
        lock.lock(); folders.insert(folder); lock.unlock()
    }

    /// `news/a/index.html` -> `news/a`; `index.html` -> ``.
    static func folder(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(path[..<slash])
    }

    /// `mkdir -p`, with one `mkdir` call when the parent exists (the common case).
    static func makeFolder(_ path: String) throws {
        if mkdir(path, 0o777) == 0 || errno == EEXIST { return }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Byte-for-byte comparison of two files, a megabyte at a time.
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        var infoA = stat(), infoB = stat()
        guard stat(a, &infoA) == 0, stat(b, &infoB) == 0, infoA.st_size == infoB.st_size,
              let fileA = FileHandle(forReadingAtPath: a), let fileB = FileHandle(forReadingAtPath: b) else { return false }
        defer { try? fileA.close(); try? fileB.close() }
        while true {
            let chunkA = (try? fileA.read(upToCount: 1 << 20)) ?? nil
            let chunkB = (try? fileB.read(upToCount: 1 << 20)) ?? nil
            if chunkA != chunkB { return false }
            if chunkA?.isEmpty ?? true { return true }
        }
    }

    /// Removes the staging folder; the published site is untouched.
    func discard() {
        try? fileManager.removeItem(at: stagingURL)
    }

    /// Moves the staged files into the output folder and removes the files no longer produced.
    func publish() throws(SiteWriter.Failure) -> SiteWriter.Report {
        defer { discard() }
        if let failure { throw failure }
        do { try fileManager.createDirectory(at: outputURL, withIntermediateDirectories: true) } catch {
            throw SiteWriter.Failure(path: outputURL.path, reason: "cannot create the folder (\(error.localizedDescription))")
        }
        let changed = changed.sorted()
        var report = SiteWriter.Report(written: [], removed: [], unchanged: produced.count - changed.count)
        let output = outputURL.path
        var made: Set<String> = []
        for path in changed {
            let target = output + "/" + path
            let folder = Self.folder(of: path)
            do {
                if !folder.isEmpty, !made.contains(folder) {
                    try Self.makeFolder(output + "/" + folder)
                    made.insert(folder)
                }
            } catch {
                throw SiteWriter.Failure(path: target, reason: "cannot write the file (\(error.localizedDescription))")
            }
            if rename(stagingPath + "/" + path, target) != 0 {
                throw SiteWriter.Failure(path: target, reason: "cannot replace the file (\(String(cString: strerror(errno))))")
            }
            report.written.append(path)
        }
        var tree = FileTree(root: output)
        for path in tree.files.sorted() where !produced.contains(path) && !SiteWriter.isKept(path) {
            guard unlink(output + "/" + path) == 0 else { continue }
            report.removed.append(path)
            let folder = Self.folder(of: path)
            if !folder.isEmpty { tree.folders[folder, default: 1] -= 1 }
        }
        // Folders left empty go, deepest first (a parent may empty out in turn); kept ones stay.
        for folder in tree.folders.keys.sorted(by: { $0.count > $1.count }) where tree.folders[folder] == 0 && !SiteWriter.isKept(folder) {
            guard rmdir(output + "/" + folder) == 0 else { continue }
            let parent = Self.folder(of: folder)
            if !parent.isEmpty { tree.folders[parent, default: 1] -= 1 }
        }
        return report
    }
}
