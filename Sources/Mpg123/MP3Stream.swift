import CMpg123

/// MP3 data pushed as it arrives from the network (libmpg123's feed mode), decoded to
/// interleaved float at the stream's own rate and channels. Not Sendable: owned by one thread.
public final class MP3Stream {
    private let handle: OpaquePointer
    public private(set) var sampleRate = 0
    public private(set) var channels = 0
    private var buffer = [UInt8](repeating: 0, count: 64 << 10)

    public init() throws {
        handle = try Mpg123Handle.makeFloat()
        try check(mpg123_open_feed(handle), "mpg123_open_feed")
    }

    deinit {
        mpg123_close(handle)
        mpg123_delete(handle)
    }

    /// Feeds `bytes` and returns what could be decoded from everything fed so far (maybe nothing),
    /// at `sampleRate` and `channels` (a change of format inside one MP3 stream is not expected).
    /// Throws on data libmpg123 cannot decode at all.
    public func decode(_ bytes: UnsafeRawBufferPointer) throws -> [Float] {
        if let base = bytes.baseAddress, !bytes.isEmpty {
            try check(mpg123_feed(handle, base.assumingMemoryBound(to: UInt8.self), bytes.count), "mpg123_feed")
        }
        var out: [Float] = []
        for _ in 0..<256 {
            var done = 0
            let code = buffer.withUnsafeMutableBytes { mpg123_read(handle, $0.baseAddress, $0.count, &done) }
            if code == MPG123_NEW_FORMAT.rawValue {
                var rate = 0, count: Int32 = 0, encoding: Int32 = 0
                try check(mpg123_getformat(handle, &rate, &count, &encoding), "mpg123_getformat")
                sampleRate = rate
                channels = Int(count)
            } else if code != MPG123_OK.rawValue && code != MPG123_NEED_MORE.rawValue {
                throw Mpg123Error(function: "mpg123_read", code: Int(code), message: MP3FileDecoder.message(code))
            }
            if done > 0 {
                buffer.withUnsafeBytes { raw in
                    out.append(contentsOf: raw.bindMemory(to: Float.self).prefix(done / MemoryLayout<Float>.size))
                }
            }
            if code == MPG123_NEED_MORE.rawValue { break }
        }
        return out
    }

    private func check(_ code: Int32, _ function: String) throws {
        try Mpg123Handle.check(handle, code, function)
    }
}
