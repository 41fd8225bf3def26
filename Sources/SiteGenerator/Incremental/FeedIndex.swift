import Foundation
import StationKit

/// Where each `<item>` of the published `feed.xml` is, by the item's key (everything the item is
/// rendered from; see `RSSFeed.itemKey`), with the feed's stamp when it was published. The next
/// build copies an item whose key it finds from the published feed instead of rendering it again,
/// as long as the feed still has that stamp. Kept beside the build manifest; without it (or with
/// a feed touched since) every item is rendered.
struct FeedIndex: Sendable {
    var stamp: FileStamp
    var items: [UInt64: Range<Int>]

    static let magic = "onair-feed 2\n"

    static func location(for outputURL: URL) -> URL? {
        BuildManifest.location(for: outputURL).map { URL(fileURLWithPath: $0.path + "-feed") }
    }

    /// The published feed's bytes and its index, if the index describes the feed as it is.
    static func published(in outputURL: URL) -> (Data, [UInt64: Range<Int>])? {
        guard let url = location(for: outputURL), let index = try? Data(contentsOf: url) else { return nil }
        let feedPath = outputURL.appendingPathComponent("feed.xml").path
        guard let stamp = FileStamp(path: feedPath),
            let feed = try? Data(contentsOf: URL(fileURLWithPath: feedPath), options: .alwaysMapped),
            feed.count == Int(stamp.size)
        else { return nil }
        return index.withUnsafeBytes { raw -> (Data, [UInt64: Range<Int>])? in
            guard var reader = CacheReader(raw, magic: magic), reader.stamp() == stamp,
                let count = reader.count(), count <= raw.count / 24
            else { return nil }
            var items: [UInt64: Range<Int>] = [:]
            items.reserveCapacity(count)
            for _ in 0..<count {
                guard let key = reader.integer(), let start = reader.count(), let length = reader.count(),
                    start <= feed.count, length <= feed.count - start
                else { return nil }
                items[key] = start..<start + length
            }
            return (feed, items)
        }
    }

    /// Best effort: without it the next build renders every item.
    func write(for outputURL: URL) {
        guard let url = Self.location(for: outputURL) else { return }
        var writer = CacheWriter(magic: Self.magic, capacity: 32 + items.count * 24)
        writer.stamp(stamp)
        writer.integer(items.count)
        for (key, range) in items { writer.integer(key); writer.integer(range.lowerBound); writer.integer(range.count) }
        writer.write(to: url)
    }
}

/// The items of the feed a build wrote (set from the thread that wrote it), for its `FeedIndex`.
final class FeedItems: Sendable {
    private let written = Locked<[UInt64: Range<Int>]?>(nil)

    var items: [UInt64: Range<Int>]? { written.current }
    func set(_ items: [UInt64: Range<Int>]) { written.withLock { $0 = items } }
}
