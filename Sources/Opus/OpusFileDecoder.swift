import COpus

/// An Ogg Opus file (libopusfile), decoded to 48 kHz stereo float (mono files are up-mixed by
/// libopusfile). Not Sendable: owned by one thread; freed in `deinit`.
public final class OpusFileDecoder {
    public static let sampleRate = 48_000
    public static let channels = 2
    private let handle: OpaquePointer
    private var buffer: [Float] = []

    public init(path: String) throws {
        var error: Int32 = 0
        guard let handle = op_open_file(path, &error) else {
            throw OpusError(function: "op_open_file", code: Int(error), message: Self.message(error))
        }
        self.handle = handle
    }

    deinit { op_free(handle) }

    /// A comment of the first link (e.g. "TITLE"), nil when absent.
    public func comment(_ key: String) -> String? {
        guard let tags = op_tags(handle, 0), let value = opus_tags_query(tags, key, 0) else { return nil }
        return String(cString: value)
    }

    /// Seconds, when the file is seekable.
    public var duration: Double? {
        let total = op_pcm_total(handle, -1)
        return total > 0 ? Double(total) / Double(Self.sampleRate) : nil
    }

    /// Up to `maxFrames` interleaved stereo frames; nil at the end. A hole in the data is skipped;
    /// other errors throw.
    public func read(maxFrames: Int) throws -> [Float]? {
        if buffer.count < maxFrames * 2 { buffer = [Float](repeating: 0, count: maxFrames * 2) }
        for _ in 0..<8 {
            let frames = buffer.withUnsafeMutableBufferPointer {
                op_read_float_stereo(handle, $0.baseAddress, Int32(maxFrames * 2))
            }
            if frames == OP_HOLE { continue }
            if frames < 0 { throw OpusError(function: "op_read_float_stereo", code: Int(frames), message: Self.message(frames)) }
            if frames == 0 { return nil }
            return Array(buffer[0..<Int(frames) * 2])
        }
        throw OpusError(function: "op_read_float_stereo", code: Int(OP_HOLE), message: "the data has too many holes")
    }

    static func message(_ code: Int32) -> String {
        switch code {
        case OP_EREAD: "cannot read the file"
        case OP_EFAULT: "internal error"
        case OP_EIMPL: "unsupported feature"
        case OP_EINVAL: "invalid argument"
        case OP_ENOTFORMAT: "not an Ogg Opus stream"
        case OP_EBADHEADER: "bad Opus header"
        case OP_EVERSION: "unsupported Opus version"
        case OP_EBADLINK, OP_EBADPACKET: "corrupt Opus data"
        case OP_ENOSEEK: "cannot seek"
        case OP_EBADTIMESTAMP: "bad timestamp"
        default: "error \(code)"
        }
    }
}
