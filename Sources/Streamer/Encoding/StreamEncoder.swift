import Shout
import StationKit

/// One output's encoder: PCM in the output's format in, bytes for libshout out. Made afresh for
/// every connection (its first bytes are the stream's headers). Owned by the engine's thread.
protocol StreamEncoder: AnyObject {
    /// What libshout announces to Icecast.
    var container: ShoutTarget.Format { get }
    /// True when titles travel as ICY metadata (libshout's metadata call) instead of in the stream.
    var usesICYMetadata: Bool { get }
    /// The bytes a new connection starts with (Ogg headers with the title's comments; nothing for MP3).
    func start() throws -> [UInt8]
    /// Encodes interleaved samples in the output's format.
    func encode(_ samples: [Float]) throws -> [UInt8]
    /// In-band title change: Ogg ends the logical stream and chains a new one; MP3 returns nothing.
    func changeTitle(_ title: TrackTitle) throws -> [UInt8]
    /// End of stream (before disconnecting).
    func finish() -> [UInt8]
    /// The packets (Opus) or frames (MP3) encoded since the last call, when made with `tapPackets`;
    /// nil otherwise.
    func takePackets() -> [EncodedPacket]?
}

extension StreamEncoder {
    func takePackets() -> [EncodedPacket]? { nil }
}

/// The formats `outputs:` accepts, their sample rates and their encoders.
enum StreamEncoders {
    static let opusDefaultBitrate = 96
    static let mp3DefaultBitrate = 128

    /// The rate an output's encoder is fed. Every format takes the station's rate: libopusenc converts
    /// to Opus's 48 kHz internally, about half the CPU of a separate libsamplerate pass (measured with
    /// bench/formats_bench.py). OutputRateConverters stays for a format that needs a fixed input rate.
    static func sampleRate(of output: OutputSettings, station: AudioFormat) -> Int {
        station.sampleRate
    }

    /// `tapPackets`: the encoder also keeps its packets or frames for a recording (Opus, MP3).
    static func make(_ output: OutputSettings, format: AudioFormat, title: TrackTitle?, tapPackets: Bool = false) throws
        -> StreamEncoder
    {
        switch output.format {
        case .vorbis: try VorbisStreamEncoder(output: output, format: format, title: title)
        case .mp3: try MP3StreamEncoder(output: output, format: format, tapPackets: tapPackets)
        case .opus: try OpusStreamEncoder(output: output, format: format, title: title, tapPackets: tapPackets)
        }
    }

    /// Stream comments: TITLE, ARTIST, ENCODER=OnAir (just the encoder before any title).
    static func comments(_ title: TrackTitle?) -> [(String, String)] {
        title?.vorbisComments ?? [("ENCODER", "OnAir")]
    }
}
