import Foundation

/// Markdown bodies already rendered to HTML, by key: the document's path and text, the link
/// universe its links were resolved against, and the `onair` executable (see
/// `SiteRenderer.renderBodies`). Only bodies without errors are kept. One binary file beside the
/// build manifest: `onair-bodies 1\n`, then per body an 8-byte key, a 4-byte length and the HTML.
struct BodyCache {
    var bodies: [UInt64: String] = [:]

    static let magic = Array("onair-bodies 1\n".utf8)

    static func location(for outputURL: URL) -> URL? {
        BuildManifest.location(for: outputURL).map { URL(fileURLWithPath: $0.path + "-bodies") }
    }

    static func read(for outputURL: URL) -> BodyCache {
        var cache = BodyCache()
        guard let url = location(for: outputURL), let data = try? Data(contentsOf: url, options: .alwaysMapped) else { return cache }
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.count >= magic.count, bytes.prefix(magic.count).elementsEqual(magic) else { return }
            var index = magic.count
            func integer(_ width: Int) -> UInt64 {
                var value: UInt64 = 0
                for offset in 0..<width { value |= UInt64(bytes[index + offset]) << (8 * offset) }
                index += width
                return value
            }
            while index + 12 <= bytes.count {
                let key = integer(8)
                let length = Int(integer(4))
                guard index + length <= bytes.count else { break }
                cache.bodies[key] = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<index + length]), as: UTF8.self)
                index += length
            }
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
              let handle = FileHandle(forWritingAtPath: temporary) else { return }
        let written = append(to: handle, header: true)
        try? handle.close()
        if !written || rename(temporary, url.path) != 0 { unlink(temporary) }
    }

    /// Writes the bodies (after the header) to `handle`; false when a write failed.
    @discardableResult
    private func append(to handle: FileHandle, header: Bool) -> Bool {
        var buffer = header ? Data(Self.magic) : Data()
        var failed = false
        func append(_ value: UInt64, _ width: Int) {
            for offset in 0..<width { buffer.append(UInt8(truncatingIfNeeded: value >> (8 * offset))) }
        }
        for (key, html) in bodies where !failed {
            append(key, 8)
            append(UInt64(html.utf8.count), 4)
            var html = html
            html.withUTF8 { buffer.append(contentsOf: $0) }  // one copy, not a byte at a time
            if buffer.count >= 1 << 20 {
                do { try handle.write(contentsOf: buffer) } catch { failed = true }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !failed { do { try handle.write(contentsOf: buffer) } catch { failed = true } }
        return !failed
    }
}
