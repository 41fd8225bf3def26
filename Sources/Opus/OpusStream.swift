import COpus

#if canImport(Glibc)
    import Glibc
#endif

/// An Ogg Opus stream read from a network connection (not seekable), decoded with libopusfile to
/// 48 kHz stereo float. Chained streams are read through; `newLink` marks the first samples of a
/// new logical bitstream, whose comments `comment(_:)` then gives. `read` is a blocking byte
/// source: the bytes put in the buffer, 0 at the end, negative on failure.
/// Not Sendable: owned by one thread; freed in `deinit`.
public final class OpusStream {
    public typealias Read = (UnsafeMutableRawBufferPointer) -> Int
    public static let sampleRate = 48_000
    public static let channels = 2

    private final class Source {
        let read: Read
        init(_ read: @escaping Read) { self.read = read }
    }

    private let handle: OpaquePointer
    private let source: Unmanaged<Source>
    private var buffer: [Float] = []
    private var serial: UInt32?

    /// Reads the stream's headers (blocking). Throws when it is not Ogg Opus.
    public init(read: @escaping Read) throws {
        let source = Unmanaged.passRetained(Source(read))
        var callbacks = OpusFileCallbacks()
        callbacks.read = { stream, pointer, count in
            guard let stream, let pointer, count > 0 else { return 0 }
            let source = Unmanaged<Source>.fromOpaque(stream).takeUnretainedValue()
            return Int32(clamping: source.read(UnsafeMutableRawBufferPointer(start: pointer, count: Int(count))))
        }
        var error: Int32 = 0
        guard let handle = op_open_callbacks(source.toOpaque(), &callbacks, nil, 0, &error) else {
            source.release()
            throw OpusError(function: "op_open_callbacks", code: Int(error), message: OpusFileDecoder.message(error))
        }
        self.handle = handle
        self.source = source
    }

    deinit {
        op_free(handle)
        source.release()
    }

    /// A comment of the logical bitstream playing now (e.g. "TITLE"), cut at 1024 bytes.
    public func comment(_ key: String) -> String? {
        guard let tags = op_tags(handle, -1), let value = opus_tags_query(tags, key, 0) else { return nil }
        let length = strnlen(value, 1024)
        return String(decoding: UnsafeRawBufferPointer(start: value, count: length), as: UTF8.self)
    }

    /// Up to `maxFrames` interleaved stereo frames and whether a new logical bitstream started
    /// with them; nil at the end. A hole in the data is skipped; other errors throw.
    public func read(maxFrames: Int) throws -> (samples: [Float], newLink: Bool)? {
        if buffer.count < maxFrames * 2 { buffer = [Float](repeating: 0, count: maxFrames * 2) }
        for _ in 0..<64 {
            let frames = buffer.withUnsafeMutableBufferPointer {
                op_read_float_stereo(handle, $0.baseAddress, Int32(maxFrames * 2))
            }
            if frames == OP_HOLE { continue }
            if frames < 0 {
                throw OpusError(function: "op_read_float_stereo", code: Int(frames), message: OpusFileDecoder.message(frames))
            }
            if frames == 0 { return nil }
            let now = op_serialno(handle, -1)
            let newLink = now != serial
            serial = now
            return (Array(buffer[0..<Int(frames) * 2]), newLink)
        }
        throw OpusError(function: "op_read_float_stereo", code: Int(OP_HOLE), message: "the data has too many holes")
    }
}
