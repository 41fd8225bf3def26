import Opus
import StationKit

/// A recording made of an output's packets (Opus, in an Ogg stream of its own with the show's
/// title) or frames (MP3, as they are): no second encode. For stretches the output does not cover
/// (Icecast away, silence put in for a `record: false` show's track) an encoder of its own codes
/// the PCM into the same file. Owned by the recorder's thread.
final class SharedEncoding {
    private let ogg: OggOpusPacketWriter?
    private let output: OutputSettings
    private let audio: AudioFormat
    private var own: StreamEncoder?

    init(output: OutputSettings, audio: AudioFormat, title: TrackTitle) throws {
        self.output = output
        self.audio = audio
        ogg =
            output.format == .opus
            ? try OggOpusPacketWriter(channels: audio.channels, inputRate: audio.sampleRate, comments: StreamEncoders.comments(title))
            : nil
    }

    func start() -> [UInt8] { ogg?.start() ?? [] }

    /// The output's packets for this stretch, or nil: then `samples` are encoded here.
    func append(_ samples: [Float], packets: [EncodedPacket]?) throws -> [UInt8] {
        if let packets {
            own = nil  // what it still held (under a packet) is covered by the output's packets
            return write(packets)
        }
        let encoder = try own ?? StreamEncoders.make(output, format: audio, title: nil, tapPackets: true)
        if own == nil { _ = try encoder.start() }
        own = encoder
        _ = try encoder.encode(samples)
        return write(encoder.takePackets() ?? [])
    }

    func finish() -> [UInt8] {
        var bytes: [UInt8] = []
        if let own {
            _ = own.finish()
            bytes = write(own.takePackets() ?? [])
        }
        return bytes + (ogg?.finish() ?? [])
    }

    private func write(_ packets: [EncodedPacket]) -> [UInt8] {
        if let ogg { return ogg.write(packets.map(\.bytes)) }
        return packets.flatMap(\.bytes)
    }
}
