import Foundation

/// The one binary format of the rebuild caches (`PageCache`, `BodyCache`, `ContentCache`,
/// `FeedIndex`): a magic line naming the format and its version, then little-endian 8-byte
/// integers, length-prefixed UTF-8 strings, flag bytes and file stamps. Read without parsing text
/// (ten thousand entries), and every read is bounds-checked: a cut-off or foreign file gives
/// only the whole entries before the damage, or nothing.
struct CacheWriter {
    private(set) var bytes: [UInt8]

    init(magic: String, capacity: Int = 0) {
        bytes = Array(magic.utf8)
        bytes.reserveCapacity(bytes.count + capacity)
    }

    /// No magic: a continuation appended to an existing file.
    init(continuing capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func integer(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func integer(_ value: Int64) { integer(UInt64(bitPattern: value)) }
    mutating func integer(_ value: Int) { integer(UInt64(bitPattern: Int64(value))) }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    /// One copy of the UTF-8 bytes, not a byte at a time.
    mutating func string(_ text: String) {
        integer(text.utf8.count)
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func optional(_ text: String?) {
        byte(text == nil ? 0 : 1)
        if let text { string(text) }
    }

    mutating func stamp(_ stamp: FileStamp) {
        integer(stamp.size); integer(stamp.mtime); integer(stamp.inode)
    }

    /// Hands the bytes written so far to `handle` and starts over (a big cache goes out a
    /// megabyte at a time); false when the write failed.
    mutating func flush(to handle: FileHandle) -> Bool {
        defer { bytes.removeAll(keepingCapacity: true) }
        do { try handle.write(contentsOf: bytes) } catch { return false }
        return true
    }

    /// Best effort, atomically: without a cache the next build simply does more work.
    func write(to url: URL) {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(bytes).write(to: url, options: .atomic)
    }
}

/// Reads what a `CacheWriter` wrote. Every read returns nil past the end.
struct CacheReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var index: Int

    /// A reader after `magic`, or nil when `bytes` do not start with it (another format or version).
    init?(_ bytes: UnsafeRawBufferPointer, magic: String) {
        let expected = Array(magic.utf8)
        guard bytes.count >= expected.count, bytes.prefix(expected.count).elementsEqual(expected) else { return nil }
        self.bytes = bytes
        index = expected.count
    }

    var isAtEnd: Bool { index >= bytes.count }

    mutating func integer() -> UInt64? {
        guard bytes.count - index >= 8 else { return nil }
        defer { index += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
    }

    mutating func signed() -> Int64? { integer().map { Int64(bitPattern: $0) } }

    mutating func count() -> Int? { integer().map { Int(clamping: $0) } }

    mutating func byte() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func string() -> String? {
        guard let length = integer(), length <= UInt64(bytes.count - index) else { return nil }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[index..<index + Int(length)]), as: UTF8.self)
        index += Int(length)
        return text
    }

    /// `.some(nil)` for an absent value, nil when the file is cut short.
    mutating func optional() -> String?? {
        guard let present = byte() else { return nil }
        return present == 0 ? .some(nil) : string().map { .some($0) }
    }

    mutating func stamp() -> FileStamp? {
        guard let size = signed(), let mtime = signed(), let inode = integer() else { return nil }
        return FileStamp(size: size, mtime: mtime, inode: inode)
    }
}
