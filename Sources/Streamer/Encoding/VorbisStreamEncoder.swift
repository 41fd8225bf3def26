import Shout
import StationKit
import Vorbis

/// Ogg Vorbis: every title is a new logical bitstream with a new serial (a chained stream).
final class VorbisStreamEncoder: StreamEncoder {
    private let format: AudioFormat
    private let mode: VorbisEncoder.Mode
    private var encoder: VorbisEncoder
    private var lastSerial: Int32 = 0

    var container: ShoutTarget.Format { .ogg }
    var usesICYMetadata: Bool { false }

    init(output: OutputSettings, format: AudioFormat, title: TrackTitle?) throws {
        self.format = format
        if let bitrate = output.bitrate {
            mode = .bitrate(bitrate)
        } else {
            mode = .quality(min(1, max(-0.1, output.quality ?? 0.4)))
        }
        encoder = try VorbisEncoder(
            sampleRate: format.sampleRate, channels: format.channels, mode: mode,
            comments: StreamEncoders.comments(title), serial: 1)
        lastSerial = 1
    }

    func start() throws -> [UInt8] { encoder.headerPages }

    func encode(_ samples: [Float]) throws -> [UInt8] {
        encoder.encode(interleaved: samples)
    }

    func changeTitle(_ title: TrackTitle) throws -> [UInt8] {
        var bytes = encoder.finish()
        var serial = Int32.random(in: 1...Int32.max)
        if serial == lastSerial { serial = serial == Int32.max ? 1 : serial + 1 }
        lastSerial = serial
        encoder = try VorbisEncoder(
            sampleRate: format.sampleRate, channels: format.channels, mode: mode,
            comments: title.vorbisComments, serial: serial)
        bytes += encoder.headerPages
        return bytes
    }

    func finish() -> [UInt8] { encoder.finish() }
}
