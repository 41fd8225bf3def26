import Foundation
import StationKit

/// The new site as it is rendered: each file is compared with the published one the moment it is
/// done, and only a file that differs is written, into a staging folder next to the output (same
/// file system). Nothing is held in memory. `publish()` then renames the staged files over the
/// old ones and removes what the build no longer produces; `discard()` (on any error) removes the
/// staging folder and leaves the published site exactly as it was.
/// `@unchecked Sendable`: every mutable property is read and written under `lock` (many render
/// threads stage files at once; one lock, not one per field, keeps the hot path to one acquire).
final class SiteStage: @unchecked Sendable {
    let outputURL: URL
    let stagingURL: URL
    private let lock = NSLock()
    private var produced: Set<String> = []
    private var changed: [String] = []
    private var folders: Set<String> = []
    private var failure: SiteWriter.Failure?
    private var stampsByPath: [String: FileStamp] = [:]
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
        guard first else { return }
        if let published = unchanged(path, data) { record(path, published); return }
        do {
            try makeFolder(for: path)
            let stamp = try Self.write(data, to: stagingPath + "/" + path)
            lock.lock(); changed.append(path); stampsByPath[path] = stamp; lock.unlock()
        } catch {
            fail(SiteWriter.Failure(path: stagingURL.path, reason: "cannot write the new site (\(error.localizedDescription))"))
        }
    }

    private var stagingPath: String { stagingURL.path }

    struct WriteError: Error, LocalizedError {
        var path: String
        var errorDescription: String? { "\(path): \(String(cString: strerror(errno)))" }
    }

    /// One `open`/`write`/`fstat`/`close` (`Data.write(to:)` goes through URL and file-attribute
    /// work per file); returns the written file's stamp, which a rename keeps.
    @discardableResult
    static func write(_ data: Data, to path: String) throws -> FileStamp {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw WriteError(path: path) }
        defer { close(fd) }
        try data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(fd, base + offset, raw.count - offset)
                if written < 0 { if errno == EINTR { continue }; throw WriteError(path: path) }
                offset += written
            }
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw WriteError(path: path) }
        return FileStamp(info)
    }

    private func record(_ path: String, _ stamp: FileStamp) {
        lock.lock(); stampsByPath[path] = stamp; lock.unlock()
    }

    /// The stamp each produced file has in the output folder once published.
    var stamps: [String: FileStamp] { lock.lock(); defer { lock.unlock() }; return stampsByPath }

    /// Keeps the published `path` (whose stamp is `stamp`) as it is: the build produces it, with the same bytes.
    func keep(_ path: String, stamp: FileStamp) {
        lock.lock(); produced.insert(path); stampsByPath[path] = stamp; lock.unlock()
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
                var piece = piece
                piece.withUTF8 { buffer.append(contentsOf: $0) }  // one copy, not a byte at a time
                if buffer.count >= 1 << 20, writeError == nil {
                    do { try handle.write(contentsOf: buffer) } catch { writeError = error }
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            if writeError == nil { do { try handle.write(contentsOf: buffer) } catch { writeError = error } }
            try? handle.close()
            if let writeError { throw writeError }
            let published = outputURL.path + "/" + path
            if Self.sameBytes(url.path, published), let stamp = FileStamp(path: published) {
                try? fileManager.removeItem(at: url)
                record(path, stamp)
            } else if let stamp = FileStamp(path: url.path) {
                lock.lock(); changed.append(path); stampsByPath[path] = stamp; lock.unlock()
            } else {
                throw WriteError(path: url.path)
            }
        } catch {
            fail(SiteWriter.Failure(path: stagingURL.path, reason: "cannot write the new site (\(error.localizedDescription))"))
        }
    }

    private func fail(_ error: SiteWriter.Failure) {
        lock.lock(); if failure == nil { failure = error }; lock.unlock()
    }

    /// The published file's stamp when it holds exactly `data` (a different size is enough to know
    /// it does not; no read), else nil.
    private func unchanged(_ path: String, _ data: Data) -> FileStamp? {
        let target = outputURL.path + "/" + path
        var info = stat()
        guard stat(target, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == data.count,
            let existing = fileManager.contents(atPath: target), existing == data
        else { return nil }
        return FileStamp(info)
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

    /// `news/a/index.html` -> `["news", "news/a"]`.
    static func ancestors(of path: String) -> [String] {
        var result: [String] = []
        var prefix = ""
        for part in path.split(separator: "/").dropLast() {
            prefix = prefix.isEmpty ? String(part) : prefix + "/" + part
            result.append(prefix)
        }
        return result
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
            let fileA = FileHandle(forReadingAtPath: a), let fileB = FileHandle(forReadingAtPath: b)
        else { return false }
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
        // A staged folder whose target does not exist yet moves in one rename (a first build
        // moves `news/` with every post in it); other files move one by one.
        var existing: Set<String> = [""]
        var moved: Set<String> = []
        for path in changed {
            let folders = Self.ancestors(of: path)
            if folders.contains(where: moved.contains) { report.written.append(path); continue }
            var missing: String?
            for folder in folders where !existing.contains(folder) {
                var info = stat()
                if stat(output + "/" + folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { existing.insert(folder); continue }
                missing = folder
                break
            }
            let (from, to) = missing.map { (stagingPath + "/" + $0, output + "/" + $0) } ?? (stagingPath + "/" + path, output + "/" + path)
            if rename(from, to) != 0 {
                throw SiteWriter.Failure(path: to, reason: "cannot replace the file (\(String(cString: strerror(errno))))")
            }
            if let missing { moved.insert(missing) }
            report.written.append(path)
        }
        // Only what an earlier build listed as published goes; a folder from an onair before the
        // list loses nothing (see `PublishedFiles`).
        let previous = PublishedFiles.read(in: outputURL)?.paths ?? []
        var emptied: Set<String> = []
        for path in previous.subtracting(produced).sorted() where !SiteWriter.isKept(path) {
            guard unlink(output + "/" + path) == 0 else { continue }
            report.removed.append(path)
            emptied.formUnion(Self.ancestors(of: path))
        }
        // Folders left empty go, deepest first (rmdir fails on a folder that still holds anything).
        for folder in emptied.sorted(by: { $0.count > $1.count }) where !SiteWriter.isKept(folder) {
            rmdir(output + "/" + folder)
        }
        try PublishedFiles(paths: produced).write(in: outputURL)
        return report
    }
}
