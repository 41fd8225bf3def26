import CLame

/// Why LAME refused: the function, its code and a sentence.
public struct LAMEError: Error, CustomStringConvertible, Sendable, Equatable {
    public var function: String
    public var code: Int
    public var description: String { "\(function) failed (\(code))" }
}

/// An MP3 encoder (LAME) for a stream: float PCM in, MP3 frames out. No Xing/VBR header frame
/// (a live stream has no end to seek back to). Not Sendable: owned by the streaming thread.
public final class MP3Encoder {
    public enum Mode: Sendable, Hashable {
        /// Constant bitrate, kbit/s.
        case constant(Int)
        /// Variable bitrate with LAME's -V scale (0 best ... 9 smallest).
        case variable(Int)
    }

    public let sampleRate: Int
    public let channels: Int
    private let handle: OpaquePointer
    private var output: [UInt8] = []

    public init(sampleRate: Int, channels: Int, mode: Mode) throws {
        guard let handle = lame_init() else { throw LAMEError(function: "lame_init", code: -1) }
        self.handle = handle
        self.sampleRate = sampleRate
        self.channels = channels
        try check(lame_set_in_samplerate(handle, Int32(sampleRate)), "lame_set_in_samplerate")
        try check(lame_set_out_samplerate(handle, Int32(sampleRate)), "lame_set_out_samplerate")
        try check(lame_set_num_channels(handle, Int32(channels)), "lame_set_num_channels")
        if channels == 1 { try check(lame_set_mode(handle, MONO), "lame_set_mode") }
        try check(lame_set_bWriteVbrTag(handle, 0), "lame_set_bWriteVbrTag")
        switch mode {
        case .constant(let kbps):
            try check(lame_set_VBR(handle, vbr_off), "lame_set_VBR")
            try check(lame_set_brate(handle, Int32(kbps)), "lame_set_brate")
        case .variable(let quality):
            try check(lame_set_VBR(handle, vbr_default), "lame_set_VBR")
            try check(lame_set_VBR_quality(handle, Float(quality)), "lame_set_VBR_quality")
        }
        let code = lame_init_params(handle)
        guard code >= 0 else {
            lame_close(handle)
            throw LAMEError(function: "lame_init_params", code: Int(code))
        }
    }

    deinit { lame_close(handle) }

    /// Encodes interleaved samples (-1...1); returns the MP3 bytes LAME has ready (may be empty).
    public func encode(interleaved samples: [Float]) throws -> [UInt8] {
        let frames = samples.count / max(1, channels)
        guard frames > 0 else { return [] }
        let capacity = frames * 5 / 4 + 7200
        if output.count < capacity { output = [UInt8](repeating: 0, count: capacity) }
        let written: Int32
        if channels == 1 {
            written = samples.withUnsafeBufferPointer { pcm in
                output.withUnsafeMutableBufferPointer { out in
                    lame_encode_buffer_ieee_float(
                        handle, pcm.baseAddress, pcm.baseAddress, Int32(frames),
                        out.baseAddress, Int32(out.count))
                }
            }
        } else {
            written = samples.withUnsafeBufferPointer { pcm in
                output.withUnsafeMutableBufferPointer { out in
                    lame_encode_buffer_interleaved_ieee_float(
                        handle, pcm.baseAddress, Int32(frames),
                        out.baseAddress, Int32(out.count))
                }
            }
        }
        guard written >= 0 else { throw LAMEError(function: "lame_encode_buffer", code: Int(written)) }
        return Array(output[0..<Int(written)])
    }

    /// The last frames LAME holds (end of stream).
    public func flush() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 7200)
        let written = out.withUnsafeMutableBufferPointer { lame_encode_flush(handle, $0.baseAddress, Int32($0.count)) }
        return written > 0 ? Array(out[0..<Int(written)]) : []
    }

    private func check(_ code: Int32, _ function: String) throws {
        guard code >= 0 else { throw LAMEError(function: function, code: Int(code)) }
    }
}
