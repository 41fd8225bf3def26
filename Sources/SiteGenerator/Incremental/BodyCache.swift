import Foundation

/// Markdown bodies already rendered to HTML, by key: the document's path and text, the link
/// universe its links were resolved against, and the `onair` executable (see
/// `SiteRenderer.renderBodies`). Only bodies without errors are kept. One `CacheCodec` file beside
/// the build manifest: per body its key and its HTML.
struct BodyCache {
    var bodies: [UInt64: String] = [:]

    static let magic = "onair-bodies 2\n"

    static func location(for outputURL: URL) -> URL? {
        BuildManifest.location(for: outputURL).map { URL(fileURLWithPath: $0.path + "-bodies") }
    }

    static func read(for outputURL: URL) -> BodyCache {
        var cache = BodyCache()
        guard let url = location(for: outputURL), let data = try? Data(contentsOf: url, options: .alwaysMapped) else { return cache }
        data.withUnsafeBytes { raw in
            guard var reader = CacheReader(raw, magic: magic) else { return }
            while let key = reader.integer(), let html = reader.string() { cache.bodies[key] = html }
        }
        return cache
    }

    /// Best effort, written a megabyte at a time (tens of megabytes for a big news folder). When
    /// most of `previous` (what the file holds) is still in use, only the new bodies are appended.
    func write(for outputURL: URL, over previous: BodyCache) {
        guard let url = Self.location(for: outputURL) else { return }
        let added = bodies.filter { previous.bodies[$0.key] == nil }
        let stale = previous.bodies.count - (bodies.count - added.count)
        if !previous.bodies.isEmpty, stale <= bodies.count, let handle = FileHandle(forWritingAtPath: url.path) {
            if (try? handle.seekToEnd()) != nil { BodyCache(bodies: added).append(to: handle, header: false) }
            try? handle.close()
            return
        }
        let temporary = url.path + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else { return }
        let written = append(to: handle, header: true)
        try? handle.close()
        if !written || rename(temporary, url.path) != 0 { unlink(temporary) }
    }

    /// Writes the bodies (after the header) to `handle`; false when a write failed.
    @discardableResult
    private func append(to handle: FileHandle, header: Bool) -> Bool {
        var writer = header ? CacheWriter(magic: Self.magic, capacity: 1 << 20) : CacheWriter(continuing: 1 << 20)
        for (key, html) in bodies {
            writer.integer(key)
            writer.string(html)
            if writer.bytes.count >= 1 << 20, !writer.flush(to: handle) { return false }
        }
        return writer.flush(to: handle)
    }
}
