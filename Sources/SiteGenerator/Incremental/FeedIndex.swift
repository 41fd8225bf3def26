import Foundation

/// Where each `<item>` of the published `feed.xml` is, by the item's key (everything the item is
/// rendered from; see `RSSFeed.itemKey`), with the feed's stamp when it was published. The next
/// build copies an item whose key it finds from the published feed instead of rendering it again,
/// as long as the feed still has that stamp. Kept beside the build manifest; without it (or with
/// a feed touched since) every item is rendered.
struct FeedIndex: Sendable {
    var stamp: FileStamp
    var items: [UInt64: Range<Int>]

    static let magic = Array("onair-feed 1\n".utf8)

    static func location(for outputURL: URL) -> URL? {
        BuildManifest.location(for: outputURL).map { URL(fileURLWithPath: $0.path + "-feed") }
    }

    /// The published feed's bytes and its index, if the index describes the feed as it is.
    static func published(in outputURL: URL) -> (Data, [UInt64: Range<Int>])? {
        guard let url = location(for: outputURL), let index = try? Data(contentsOf: url) else { return nil }
        let feedPath = outputURL.appendingPathComponent("feed.xml").path
        guard let stamp = FileStamp(path: feedPath),
              let feed = try? Data(contentsOf: URL(fileURLWithPath: feedPath), options: .alwaysMapped),
              feed.count == Int(stamp.size) else { return nil }
        return index.withUnsafeBytes { raw -> (Data, [UInt64: Range<Int>])? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.count >= magic.count + 32, bytes.prefix(magic.count).elementsEqual(magic) else { return nil }
            var position = magic.count
            func integer() -> UInt64 {
                var value: UInt64 = 0
                for offset in 0..<8 { value |= UInt64(bytes[position + offset]) << (8 * offset) }
                position += 8
                return value
            }
            let recorded = FileStamp(size: Int64(bitPattern: integer()), mtime: Int64(bitPattern: integer()), inode: integer())
            guard recorded == stamp else { return nil }
            let count = Int(clamping: integer())
            guard count <= (bytes.count - position) / 24 else { return nil }
            var items: [UInt64: Range<Int>] = [:]
            items.reserveCapacity(count)
            for _ in 0..<count {
                let key = integer(), start = Int(clamping: integer()), length = Int(clamping: integer())
                guard start <= feed.count, length <= feed.count - start else { return nil }
                items[key] = start..<start + length
            }
            return (feed, items)
        }
    }

    /// Best effort: without it the next build renders every item.
    func write(for outputURL: URL) {
        guard let url = Self.location(for: outputURL) else { return }
        var bytes = Self.magic
        bytes.reserveCapacity(bytes.count + 32 + items.count * 24)
        func integer(_ value: UInt64) {
            var value = value
            for _ in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value)); value >>= 8 }
        }
        integer(UInt64(bitPattern: stamp.size)); integer(UInt64(bitPattern: stamp.mtime)); integer(stamp.inode)
        integer(UInt64(items.count))
        for (key, range) in items { integer(key); integer(UInt64(range.lowerBound)); integer(UInt64(range.count)) }
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(bytes).write(to: url, options: .atomic)
    }
}

/// The items of the feed a build wrote (set from the thread that wrote it), for its `FeedIndex`.
final class FeedItems: @unchecked Sendable {
    private let lock = NSLock()
    private var written: [UInt64: Range<Int>]?

    var items: [UInt64: Range<Int>]? { lock.lock(); defer { lock.unlock() }; return written }
    func set(_ items: [UInt64: Range<Int>]) { lock.lock(); written = items; lock.unlock() }
}
