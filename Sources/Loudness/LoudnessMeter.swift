import CEBUR128
import Foundation

/// Why libebur128 failed: the function and its code.
public struct LoudnessError: Error, CustomStringConvertible, Equatable {
    public var function: String
    public var code: Int32
    public var description: String { "\(function) failed (libebur128 error \(code))" }
}

/// Integrated loudness (EBU R128, LUFS) and true peak (dBTP) of one file's audio.
public struct LoudnessMeasurement: Sendable, Equatable {
    public var integrated: Double
    public var truePeak: Double
    public init(integrated: Double, truePeak: Double) { self.integrated = integrated; self.truePeak = truePeak }
}

/// Measures interleaved float audio with libebur128 (mode I + true peak). Not Sendable: one owner.
public final class LoudnessMeter {
    private var state: UnsafeMutablePointer<ebur128_state>?
    public let channels: Int

    public init(channels: Int, sampleRate: Int) throws {
        self.channels = channels
        state = ebur128_init(UInt32(channels), UInt(sampleRate), onair_ebur128_mode_integrated_true_peak())
        guard state != nil else { throw LoudnessError(function: "ebur128_init", code: -1) }
    }

    deinit { ebur128_destroy(&state) }

    /// Adds interleaved samples (-1...1).
    public func add(_ samples: [Float]) throws {
        let frames = samples.count / max(1, channels)
        guard frames > 0 else { return }
        let code = samples.withUnsafeBufferPointer { ebur128_add_frames_float(state, $0.baseAddress, frames) }
        try check(code, "ebur128_add_frames_float")
    }

    /// The measurement so far: integrated loudness (-inf for silence) and the highest true peak in dBTP.
    public func measurement() throws -> LoudnessMeasurement {
        var loudness = 0.0
        try check(ebur128_loudness_global(state, &loudness), "ebur128_loudness_global")
        var peak = 0.0
        for channel in 0..<channels {
            var value = 0.0
            try check(ebur128_true_peak(state, UInt32(channel), &value), "ebur128_true_peak")
            peak = max(peak, value)
        }
        return LoudnessMeasurement(integrated: loudness, truePeak: peak > 0 ? 20 * log10(peak) : -.infinity)
    }

    private func check(_ code: Int32, _ function: String) throws {
        guard code == 0 else { throw LoudnessError(function: function, code: code) }
    }
}
