import LAME
import Shout
import StationKit

/// MP3 (LAME), CBR (`bitrate`, 128 kbit/s by default) or VBR (`quality` = LAME's -V). Titles go
/// as ICY metadata through Icecast, so the stream itself never restarts.
final class MP3StreamEncoder: StreamEncoder {
    private let encoder: MP3Encoder
    /// Frames kept for a recording (`tapPackets`).
    private var frames: MP3FrameSplitter?

    var container: ShoutTarget.Format { .mp3 }
    var usesICYMetadata: Bool { true }

    static func mode(for output: OutputSettings) -> MP3Encoder.Mode {
        if output.bitrate == nil, let quality = output.quality { return .variable(Int(quality.rounded())) }
        return .constant(output.bitrate ?? StreamEncoders.mp3DefaultBitrate)
    }

    init(output: OutputSettings, format: AudioFormat, tapPackets: Bool = false) throws {
        encoder = try MP3Encoder(sampleRate: format.sampleRate, channels: format.channels, mode: Self.mode(for: output))
        if tapPackets { frames = MP3FrameSplitter() }
    }

    func start() throws -> [UInt8] { [] }
    func encode(_ samples: [Float]) throws -> [UInt8] { kept(try encoder.encode(interleaved: samples)) }
    func changeTitle(_ title: TrackTitle) throws -> [UInt8] { [] }
    func finish() -> [UInt8] { kept(encoder.flush()) }
    func takePackets() -> [EncodedPacket]? { frames?.take() }

    private func kept(_ bytes: [UInt8]) -> [UInt8] {
        frames?.add(bytes)
        return bytes
    }
}
