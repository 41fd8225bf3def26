import CMpg123
import Foundation

/// An MP3 file decoded by libmpg123 to interleaved float, with its ID3v2 (else ID3v1) artist and
/// title. libmpg123's own printouts are off. Not Sendable: owned by one thread; freed in `deinit`.
public final class MP3FileDecoder {
    private let handle: OpaquePointer
    public private(set) var sampleRate = 0
    public private(set) var channels = 0
    public private(set) var artist: String?
    public private(set) var title: String?
    /// Further ID3v2 text: `ALBUM`, `LABEL` (TPUB), `ISRC` (TSRC), and each TXXX frame by its
    /// description in capitals (`REPLAYGAIN_TRACK_GAIN`), as Vorbis comments name them.
    public private(set) var tags: [String: String] = [:]
    /// True when the file starts with an ID3v2 tag that gave neither artist nor title (damaged or empty).
    public private(set) var hasUnreadableID3v2 = false
    /// Frames (per channel) decoded so far, and the length the stream's header (LAME/Xing) or size announces.
    public private(set) var decodedFrames = 0
    public private(set) var announcedFrames = 0
    private var buffer: [UInt8] = []

    public init(path: String) throws {
        handle = try Mpg123Handle.makeFloat()
        try check(mpg123_open(handle, path), "mpg123_open")
        var rate = 0, channelCount: Int32 = 0, encoding: Int32 = 0
        try check(mpg123_getformat(handle, &rate, &channelCount, &encoding), "mpg123_getformat")
        sampleRate = rate
        channels = Int(channelCount)
        readTags(startsWithID3v2: Self.startsWithID3v2(path))
        announcedFrames = max(0, Int(mpg123_length(handle)))
    }

    private static func startsWithID3v2(_ path: String) -> Bool {
        guard let file = fopen(path, "rb") else { return false }
        defer { fclose(file) }
        var magic = [UInt8](repeating: 0, count: 3)
        return fread(&magic, 1, 3, file) == 3 && magic == Array("ID3".utf8)
    }

    deinit {
        mpg123_close(handle)
        mpg123_delete(handle)
    }

    /// Seconds, estimated from the stream's frames (without reading the whole file).
    public var duration: Double? {
        let samples = mpg123_length(handle)
        return samples > 0 && sampleRate > 0 ? Double(samples) / Double(sampleRate) : nil
    }

    /// Up to `maxFrames` interleaved frames; nil at the end of the stream. Throws on broken data.
    public func read(maxFrames: Int) throws -> [Float]? {
        let bytes = maxFrames * max(1, channels) * MemoryLayout<Float>.size
        if buffer.count < bytes { buffer = [UInt8](repeating: 0, count: bytes) }
        var done = 0
        let code = buffer.withUnsafeMutableBytes { mpg123_read(handle, $0.baseAddress, bytes, &done) }
        if code == MPG123_NEW_FORMAT.rawValue {
            var rate = 0, channelCount: Int32 = 0, encoding: Int32 = 0
            try check(mpg123_getformat(handle, &rate, &channelCount, &encoding), "mpg123_getformat")
            sampleRate = rate
            channels = Int(channelCount)
        } else if code == MPG123_DONE.rawValue, done == 0 {
            return nil
        } else if code != MPG123_OK.rawValue && code != MPG123_DONE.rawValue {
            throw Mpg123Error(function: "mpg123_read", code: Int(code), message: Self.message(code))
        }
        let count = done / MemoryLayout<Float>.size
        decodedFrames += count / max(1, channels)
        return buffer.withUnsafeBytes { raw in Array(raw.bindMemory(to: Float.self).prefix(count)) }
    }

    private func readTags(startsWithID3v2: Bool) {
        defer { hasUnreadableID3v2 = startsWithID3v2 && title == nil && artist == nil }
        guard mpg123_meta_check(handle) & MPG123_ID3 != 0 else { return }
        var v1: UnsafeMutablePointer<mpg123_id3v1>?
        var v2: UnsafeMutablePointer<mpg123_id3v2>?
        guard mpg123_id3(handle, &v1, &v2) == MPG123_OK.rawValue else { return }
        if let v2 = v2?.pointee {
            title = Self.string(v2.title)
            artist = Self.string(v2.artist)
            if let album = Self.string(v2.album) { tags["ALBUM"] = album }
            let names = ["TPUB": "LABEL", "TSRC": "ISRC"]
            for index in 0..<Int(v2.texts) {
                guard var frame = v2.text?[index] else { continue }
                let id = withUnsafeBytes(of: frame.id) { String(decoding: $0, as: UTF8.self) }
                if let name = names[id], let value = Self.string(&frame.text) { tags[name] = value }
            }
            for index in 0..<Int(v2.extras) {
                guard var frame = v2.extra?[index], let key = Self.string(&frame.description),
                    let value = Self.string(&frame.text)
                else { continue }
                tags[key.uppercased()] = value
            }
        }
        if let v1 = v1?.pointee {
            if title == nil { title = Self.fixed(v1.title) }
            if artist == nil { artist = Self.fixed(v1.artist) }
        }
    }

    private static func string(_ value: UnsafeMutablePointer<mpg123_string>?) -> String? {
        guard let value, value.pointee.fill > 0, let text = value.pointee.p else { return nil }
        let bytes = UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self)
        let length = min(Int(value.pointee.fill), strnlen(text, Int(value.pointee.fill)))
        let decoded = String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
        return decoded.isEmpty ? nil : decoded
    }

    /// ID3v1's fixed 30-byte fields (Latin-1, NUL-padded).
    private static func fixed<T>(_ field: T) -> String? {
        withUnsafeBytes(of: field) { raw in
            let bytes = raw.prefix { $0 != 0 }
            let text = String(bytes.map { Character(Unicode.Scalar($0)) })
                .trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : text
        }
    }

    private func check(_ code: Int32, _ function: String) throws {
        try Mpg123Handle.check(handle, code, function)
    }

    static func message(_ code: Int32) -> String {
        mpg123_plain_strerror(code).map { String(cString: $0) } ?? "error \(code)"
    }
}
