import LAME
import Shout
import StationKit

/// MP3 (LAME), CBR (`bitrate`, 128 kbit/s by default) or VBR (`quality` = LAME's -V). Titles go
/// as ICY metadata through Icecast, so the stream itself never restarts.
final class MP3StreamEncoder: StreamEncoder {
    private let encoder: MP3Encoder

    var container: ShoutTarget.Format { .mp3 }
    var usesICYMetadata: Bool { true }

    static func mode(for output: OutputSettings) -> MP3Encoder.Mode {
        if output.bitrate == nil, let quality = output.quality { return .variable(Int(quality.rounded())) }
        return .constant(output.bitrate ?? StreamEncoders.mp3DefaultBitrate)
    }

    init(output: OutputSettings, format: AudioFormat) throws {
        encoder = try MP3Encoder(sampleRate: format.sampleRate, channels: format.channels, mode: Self.mode(for: output))
    }

    func start() throws -> [UInt8] { [] }
    func encode(_ samples: [Float]) throws -> [UInt8] { try encoder.encode(interleaved: samples) }
    func changeTitle(_ title: TrackTitle) throws -> [UInt8] { [] }
    func finish() -> [UInt8] { encoder.flush() }
}
