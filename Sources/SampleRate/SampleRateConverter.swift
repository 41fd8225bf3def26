import CSampleRate

/// A failed libsamplerate call: the function, the code and `src_strerror`'s message.
public struct SampleRateError: Error, CustomStringConvertible, Sendable, Equatable {
    public var function: String
    public var code: Int
    public var message: String
    public var description: String { "\(function) failed (\(code)): \(message)" }
}

/// Converts interleaved float audio from one sample rate to another with libsamplerate.
/// Stateful (keeps the filter's history between calls, so consecutive blocks join without clicks).
/// Not Sendable: owned by one thread; the converter is freed in `deinit`.
public final class SampleRateConverter {
    public enum Quality: Sendable {
        case best, medium, fastest, linear
        var converterType: Int32 {
            switch self {
            case .best: 0  // SRC_SINC_BEST_QUALITY
            case .medium: 1  // SRC_SINC_MEDIUM_QUALITY
            case .fastest: 2  // SRC_SINC_FASTEST
            case .linear: 4  // SRC_LINEAR
            }
        }
    }

    public let channels: Int
    public let ratio: Double
    private let state: OpaquePointer

    /// `ratio` = output rate / input rate.
    public init(channels: Int, inputRate: Int, outputRate: Int, quality: Quality = .medium) throws {
        guard channels > 0, inputRate > 0, outputRate > 0 else {
            throw SampleRateError(function: "src_new", code: -1, message: "bad channels or rates")
        }
        var error: Int32 = 0
        guard let state = src_new(quality.converterType, Int32(channels), &error) else {
            throw SampleRateError(function: "src_new", code: Int(error), message: Self.message(error))
        }
        self.state = state
        self.channels = channels
        self.ratio = Double(outputRate) / Double(inputRate)
    }

    deinit { src_delete(state) }

    /// Converts `input` (interleaved, `channels` per frame); `endOfInput` flushes the filter's tail.
    public func process(_ input: [Float], endOfInput: Bool = false) throws -> [Float] {
        let inputFrames = input.count / channels
        let capacity = Int(Double(inputFrames) * ratio) + 256
        var output = [Float](repeating: 0, count: capacity * channels)
        var produced = 0
        var consumed = 0
        try input.withUnsafeBufferPointer { inBuffer in
            try output.withUnsafeMutableBufferPointer { outBuffer in
                // Bounded: each pass consumes input or produces output; stop when neither happens.
                for _ in 0..<1000 {
                    guard let inBase = inBuffer.baseAddress ?? UnsafePointer(bitPattern: 16),
                        let outBase = outBuffer.baseAddress
                    else { return }
                    var data = SRC_DATA()
                    data.data_in = inBase + consumed * channels
                    data.input_frames = inputFrames - consumed
                    data.data_out = outBase + produced * channels
                    data.output_frames = capacity - produced
                    data.end_of_input = endOfInput ? 1 : 0
                    data.src_ratio = ratio
                    let code = src_process(state, &data)
                    guard code == 0 else {
                        throw SampleRateError(function: "src_process", code: Int(code), message: Self.message(code))
                    }
                    consumed += data.input_frames_used
                    produced += data.output_frames_gen
                    let progressed = data.input_frames_used > 0 || data.output_frames_gen > 0
                    if !progressed || produced >= capacity || (consumed >= inputFrames && !endOfInput) { return }
                }
            }
        }
        output.removeSubrange((produced * channels)...)
        return output
    }

    private static func message(_ code: Int32) -> String {
        src_strerror(code).map { String(cString: $0) } ?? "error \(code)"
    }
}
