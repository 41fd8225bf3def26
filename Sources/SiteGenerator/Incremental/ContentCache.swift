import Foundation
import StationKit

/// The front matter of pages and news posts from the last build, by content-relative path and
/// file stamp (size, modification and status-change times in ns, inode; a rewrite that restores
/// the modification time still changes the status-change time): a file whose stamp is unchanged is not read
/// or parsed again, and its body is read only if it must be rendered anew (see
/// `SourceDocument.loadBody`). Only files without errors are kept. One binary file beside the
/// build manifest, valid for one `onair` executable and one content folder; without it (or with
/// another header) every file is read.
struct ContentCache: Sendable {
    /// What a file must still have for its entry to hold.
    struct Stamp: Sendable, Equatable {
        var file: FileStamp
        var ctime: Int64

        init(file: FileStamp, ctime: Int64) { self.file = file; self.ctime = ctime }

        /// The stamp of the regular file at `path`; nil when it cannot be taken.
        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            self.init(info)
        }

        /// The stamp in `info` (a regular file's `stat`).
        init(_ info: stat) {
            file = FileStamp(info)
            ctime = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        }
    }

    struct Entry: Sendable, Equatable {
        var stamp: Stamp
        var fields: ArticleFields
        var bodyLine: Int
        /// `Fingerprint` of the body text (the body cache's key part).
        var bodyDigest: UInt64
    }

    var entries: [String: Entry] = [:]

    static let magic = "onair-content 2\n"

    static func location(for outputURL: URL) -> URL? {
        BuildManifest.location(for: outputURL).map { URL(fileURLWithPath: $0.path + "-content") }
    }

    /// The file is for this `onair` and this content folder only.
    static func header(contentURL: URL) -> CacheWriter {
        var writer = CacheWriter(magic: magic)
        writer.string(SiteRenderer.executableStamp)
        writer.string(contentURL.standardizedFileURL.path)
        return writer
    }

    static func read(for outputURL: URL, contentURL: URL) -> ContentCache {
        var cache = ContentCache()
        guard let url = location(for: outputURL), let data = try? Data(contentsOf: url) else { return cache }
        let header = header(contentURL: contentURL).bytes
        data.withUnsafeBytes { raw in
            guard raw.count >= header.count, raw.prefix(header.count).elementsEqual(header),
                var reader = CacheReader(raw, magic: magic)
            else { return }
            _ = reader.string(); _ = reader.string()  // the header, compared above
            while !reader.isAtEnd {
                guard let (path, entry) = Self.entry(&reader) else { cache.entries = [:]; return }
                cache.entries[path] = entry
            }
        }
        return cache
    }

    /// Best effort: without it the next build reads every file.
    func write(for outputURL: URL, contentURL: URL) {
        guard let url = Self.location(for: outputURL) else { return }
        var writer = Self.header(contentURL: contentURL)
        for (path, entry) in entries { Self.append(path, entry, to: &writer) }
        writer.write(to: url)
    }

    private static func append(_ path: String, _ entry: Entry, to writer: inout CacheWriter) {
        writer.string(path)
        writer.stamp(entry.stamp.file)
        writer.integer(entry.stamp.ctime)
        let fields = entry.fields
        writer.byte((fields.draft ? 1 : 0) | (fields.hasDateKey ? 2 : 0))
        writer.optional(fields.date.map(ViewBuilder.isoDate))  // LocalDate.description's text, without String(format:)
        writer.optional(fields.title)
        writer.optional(fields.description)
        writer.optional(fields.author)
        writer.optional(fields.image)
        writer.integer(fields.imageLine)
        writer.integer(entry.bodyLine)
        writer.integer(entry.bodyDigest)
    }

    private static func entry(_ reader: inout CacheReader) -> (String, Entry)? {
        guard let path = reader.string(), let file = reader.stamp(), let ctime = reader.signed(), let flags = reader.byte(),
            let date = reader.optional(), let title = reader.optional(), let description = reader.optional(),
            let author = reader.optional(), let image = reader.optional(), let imageLine = reader.count(),
            let bodyLine = reader.count(), let digest = reader.integer()
        else { return nil }
        var parsedDate: LocalDate?
        if let date {
            guard let valid = LocalDate(parsing: date) else { return nil }
            parsedDate = valid
        }
        let fields = ArticleFields(
            draft: flags & 1 != 0, date: parsedDate, hasDateKey: flags & 2 != 0, title: title,
            description: description, author: author, image: image, imageLine: imageLine, errors: [])
        return (path, Entry(stamp: Stamp(file: file, ctime: ctime), fields: fields, bodyLine: bodyLine, bodyDigest: digest))
    }
}
