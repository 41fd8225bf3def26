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

    /// `CacheCodec` entries: per page its key, the published file's stamp and its path.
    static let magic = "onair-pages 3\n"

    static func read(for outputURL: URL) -> PageCache {
        guard let url = location(for: outputURL), let data = try? Data(contentsOf: url) else { return PageCache() }
        return decode(data)
    }

    /// The entries in `data`; none when it is not this format (an older cache), and only the
    /// whole entries before a cut-off end.
    static func decode(_ data: Data) -> PageCache {
        var cache = PageCache()
        data.withUnsafeBytes { raw in
            guard var reader = CacheReader(raw, magic: magic) else { return }
            cache.entries.reserveCapacity(raw.count / 72)
            while let key = reader.integer(), let file = reader.stamp(), let path = reader.string() {
                cache.entries[path] = Entry(key: key, file: file)
            }
        }
        return cache
    }

    /// The file `read` takes back.
    func encoded() -> Data { Data(writer.bytes) }

    private var writer: CacheWriter {
        var writer = CacheWriter(magic: Self.magic, capacity: entries.count * 80)
        for (path, entry) in entries {
            writer.integer(entry.key)
            writer.stamp(entry.file)
            writer.string(path)
        }
        return writer
    }

    /// Best effort: without it the next build renders every page.
    func write(for outputURL: URL) {
        guard let url = Self.location(for: outputURL) else { return }
        writer.write(to: url)
    }
}
