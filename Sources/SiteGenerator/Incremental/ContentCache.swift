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

    static let magic = "onair-content 1\n"

    static func location(for outputURL: URL) -> URL? {
        BuildManifest.location(for: outputURL).map { URL(fileURLWithPath: $0.path + "-content") }
    }

    /// What the file must start with for `contentURL`: the magic, the executable, the folder.
    static func header(contentURL: URL) -> [UInt8] {
        var writer = Writer()
        writer.bytes += Array(magic.utf8)
        writer.string(SiteRenderer.executableStamp)
        writer.string(contentURL.standardizedFileURL.path)
        return writer.bytes
    }

    static func read(for outputURL: URL, contentURL: URL) -> ContentCache {
        var cache = ContentCache()
        guard let url = location(for: outputURL), let data = try? Data(contentsOf: url) else { return cache }
        let header = header(contentURL: contentURL)
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.count >= header.count, bytes.prefix(header.count).elementsEqual(header) else { return }
            var reader = Reader(bytes: bytes, index: header.count)
            while reader.index < bytes.count {
                guard let (path, entry) = reader.entry() else { cache.entries = [:]; return }
                cache.entries[path] = entry
            }
        }
        return cache
    }

    /// Best effort: without it the next build reads every file.
    func write(for outputURL: URL, contentURL: URL) {
        guard let url = Self.location(for: outputURL) else { return }
        var writer = Writer()
        writer.bytes = Self.header(contentURL: contentURL)
        writer.bytes.reserveCapacity(entries.count * 160)
        for (path, entry) in entries { writer.entry(path, entry) }
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(writer.bytes).write(to: url, options: .atomic)
    }

    private struct Writer {
        var bytes: [UInt8] = []

        mutating func integer(_ value: UInt64) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }

        mutating func string(_ text: String) {
            integer(UInt64(text.utf8.count))
            bytes += text.utf8
        }

        mutating func optional(_ text: String?) {
            bytes.append(text == nil ? 0 : 1)
            if let text { string(text) }
        }

        mutating func entry(_ path: String, _ entry: Entry) {
            string(path)
            integer(UInt64(bitPattern: entry.stamp.file.size))
            integer(UInt64(bitPattern: entry.stamp.file.mtime))
            integer(entry.stamp.file.inode)
            integer(UInt64(bitPattern: entry.stamp.ctime))
            let fields = entry.fields
            bytes.append((fields.draft ? 1 : 0) | (fields.hasDateKey ? 2 : 0))
            optional(fields.date.map(ViewBuilder.isoDate))  // LocalDate.description's text, without String(format:)
            optional(fields.title)
            optional(fields.description)
            optional(fields.author)
            optional(fields.image)
            integer(UInt64(fields.imageLine))
            integer(UInt64(entry.bodyLine))
            integer(entry.bodyDigest)
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index: Int

        mutating func integer() -> UInt64? {
            guard index + 8 <= bytes.count else { return nil }
            var value: UInt64 = 0
            for offset in 0..<8 { value |= UInt64(bytes[index + offset]) << (8 * offset) }
            index += 8
            return value
        }

        mutating func string() -> String? {
            guard let length = integer(), length <= UInt64(bytes.count - index) else { return nil }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<index + Int(length)]), as: UTF8.self)
            index += Int(length)
            return text
        }

        /// `.some(nil)` for an absent value, nil when the file is cut short.
        mutating func optional() -> String?? {
            guard index < bytes.count else { return nil }
            let present = bytes[index]
            index += 1
            return present == 0 ? .some(nil) : string().map { .some($0) }
        }

        mutating func entry() -> (String, Entry)? {
            guard let path = string(), let size = integer(), let mtime = integer(), let inode = integer(), let ctime = integer(),
                  index < bytes.count else { return nil }
            let flags = bytes[index]
            index += 1
            guard let date = optional(), let title = optional(), let description = optional(), let author = optional(),
                  let image = optional(), let imageLine = integer(), let bodyLine = integer(), let digest = integer() else { return nil }
            var parsedDate: LocalDate?
            if let date {
                guard let valid = LocalDate(parsing: date) else { return nil }
                parsedDate = valid
            }
            let fields = ArticleFields(draft: flags & 1 != 0, date: parsedDate, hasDateKey: flags & 2 != 0, title: title,
                                       description: description, author: author, image: image,
                                       imageLine: Int(clamping: imageLine), errors: [])
            let file = FileStamp(size: Int64(bitPattern: size), mtime: Int64(bitPattern: mtime), inode: inode)
            return (path, Entry(stamp: Stamp(file: file, ctime: Int64(bitPattern: ctime)),
                                fields: fields, bodyLine: Int(clamping: bodyLine), bodyDigest: digest))
        }
    }
}
