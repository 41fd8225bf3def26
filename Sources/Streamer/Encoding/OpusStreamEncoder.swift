import Opus
import Shout
import StationKit

/// Ogg Opus (libopusenc): fed the station's PCM at its own rate (libopusenc converts to Opus's 48 kHz);
/// a title change chains a new logical stream with new OpusTags.
final class OpusStreamEncoder: StreamEncoder {
    private let encoder: OggOpusEncoder
    private let tapsPackets: Bool
    private var headers: [UInt8]

    var container: ShoutTarget.Format { .ogg }
    var usesICYMetadata: Bool { false }

    init(output: OutputSettings, format: AudioFormat, title: TrackTitle?, tapPackets: Bool = false) throws {
        encoder = try OggOpusEncoder(
            channels: format.channels, inputRate: format.sampleRate,
            bitrate: output.bitrate ?? StreamEncoders.opusDefaultBitrate,
            comments: StreamEncoders.comments(title), tapPackets: tapPackets)
        tapsPackets = tapPackets
        headers = encoder.takePages()
    }

    func start() throws -> [UInt8] {
        defer { headers = [] }
        return headers
    }

    func encode(_ samples: [Float]) throws -> [UInt8] { try encoder.encode(interleaved: samples) }
    func changeTitle(_ title: TrackTitle) throws -> [UInt8] { try encoder.chain(comments: title.vorbisComments) }
    func finish() -> [UInt8] { encoder.finish() }
    func takePackets() -> [EncodedPacket]? {
        guard tapsPackets else { return nil }
        return encoder.takePackets().map { EncodedPacket(bytes: $0, seconds: Double(OggOpusPacketWriter.samples($0)) / 48_000) }
    }
}
