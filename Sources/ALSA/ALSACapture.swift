import CALSA
import Foundation

/// A failed ALSA call: the function, the (negative errno) code and `snd_strerror`'s message.
public struct ALSAError: Error, CustomStringConvertible, Sendable, Equatable {
    public var function: String
    public var code: Int
    public var message: String
    /// A whole sentence for people, e.g. "cannot open ALSA capture device 'hw:9': No such file or directory".
    public var sentence: String
    public var description: String { sentence }
}

/// Capture from an ALSA device as signed 16-bit interleaved frames at a fixed rate and channel
/// count (ALSA's plug layer converts). Blocking reads: the device's clock paces the caller.
/// Not Sendable: owned by the streaming thread; the PCM is closed in `deinit`.
public final class ALSACapture {
    public let device: String
    public let sampleRate: Int
    public let channels: Int
    /// How many overruns (-EPIPE) were recovered so far.
    public private(set) var overruns = 0
    private let pcm: OpaquePointer
    /// Our errors say what failed in one line; ALSA's own stderr chatter would only repeat it.
    private static let muteLibraryMessages: Void = { calsa_silence_library_errors() }()

    /// Opens `device` for capture; `latency` is the buffer length in seconds.
    public init(device: String, sampleRate: Int, channels: Int, latency: Double = 0.5) throws {
        _ = Self.muteLibraryMessages
        self.device = device
        self.sampleRate = sampleRate
        self.channels = channels
        var handle: OpaquePointer?
        let code = snd_pcm_open(&handle, device, SND_PCM_STREAM_CAPTURE, 0)
        guard code == 0, let handle else {
            throw Self.error("snd_pcm_open", code, "cannot open ALSA capture device '\(device)'")
        }
        pcm = handle
        let set = snd_pcm_set_params(
            pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED,
            UInt32(channels), UInt32(sampleRate), 1, UInt32(latency * 1_000_000))
        guard set == 0 else {  // `deinit` closes the PCM
            throw Self.error(
                "snd_pcm_set_params", set,
                "cannot set ALSA capture device '\(device)' to \(sampleRate) Hz, \(channels) channels, 16-bit")
        }
    }

    deinit { snd_pcm_close(pcm) }

    public enum ReadResult: Equatable {
        /// `frames` frames were written to the buffer.
        case frames(Int)
        /// The device overran (audio was lost) and was recovered; read again.
        case recoveredOverrun
    }

    /// Reads up to `frames` frames into `buffer` (which must hold `frames * channels` samples); blocks
    /// until audio is there. Overruns are recovered with `snd_pcm_recover`; other errors throw.
    public func read(into buffer: inout [Int16], frames: Int) throws -> ReadResult {
        precondition(buffer.count >= frames * channels, "buffer too small")
        let got = buffer.withUnsafeMutableBytes { bytes in
            snd_pcm_readi(pcm, bytes.baseAddress, snd_pcm_uframes_t(frames))
        }
        if got >= 0 { return .frames(Int(got)) }
        let code = Int32(got)
        if code == -EPIPE || code == -ESTRPIPE || code == -EINTR {
            let recovered = snd_pcm_recover(pcm, code, 1)
            guard recovered == 0 else {
                throw Self.error("snd_pcm_recover", recovered, "cannot recover ALSA capture device '\(device)'")
            }
            if code == -EPIPE { overruns += 1 }
            return .recoveredOverrun
        }
        throw Self.error("snd_pcm_readi", code, "cannot read from ALSA capture device '\(device)'")
    }

    private static func error(_ function: String, _ code: Int32, _ what: String) -> ALSAError {
        let message = snd_strerror(code).map { String(cString: $0) } ?? "error \(code)"
        return ALSAError(function: function, code: Int(code), message: message, sentence: "\(what): \(message)")
    }
}
