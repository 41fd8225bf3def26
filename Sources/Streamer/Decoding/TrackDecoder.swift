import Foundation
import StationKit
import Vorbis

/// A decoder for one file: interleaved float blocks in the file's own format.
protocol TrackDecoder: AnyObject {
    var title: TrackTitle { get }
    /// Seconds, when known.
    var duration: Double? { get }
    /// The next block, or nil at the end. Throws when the data is corrupt.
    func read(maxFrames: Int) throws -> (samples: [Float], format: AudioFormat)?
    /// A problem that does not stop the file from playing (a damaged tag, a file that ends early),
    /// asked once after opening and once at the end; nil when there is none.
    func takeWarning() -> String?
    /// Album, label and ISRC when the file's tags have them (for the playout log).
    var tags: TrackTags { get }
}

extension TrackDecoder {
    func takeWarning() -> String? { nil }
    var tags: TrackTags { TrackTags() }
}

/// The tags a royalty report needs beyond artist and title.
struct TrackTags: Equatable, Sendable {
    var album: String?
    var label: String?
    var isrc: String?
    /// REPLAYGAIN_TRACK_GAIN in dB ("-3.21 dB") and REPLAYGAIN_TRACK_PEAK (linear), when tagged.
    var replayGain: Double?
    var replayPeak: Double?

    init(album: String? = nil, label: String? = nil, isrc: String? = nil, replayGain: Double? = nil, replayPeak: Double? = nil) {
        self.album = album; self.label = label; self.isrc = isrc; self.replayGain = replayGain; self.replayPeak = replayPeak
    }

    /// From Vorbis-comment names (Ogg Vorbis, Ogg Opus, FLAC; MP3's ID3v2 frames mapped to them).
    init(comment: (String) -> String?) {
        self.init(
            album: comment("ALBUM"), label: comment("LABEL") ?? comment("ORGANIZATION"), isrc: comment("ISRC"),
            replayGain: Self.number(comment("REPLAYGAIN_TRACK_GAIN")), replayPeak: Self.number(comment("REPLAYGAIN_TRACK_PEAK")))
    }

    /// The number at the start of a ReplayGain tag ("-3.21 dB" -> -3.21).
    static func number(_ text: String?) -> Double? {
        guard let first = text?.trimmingCharacters(in: .whitespaces).split(separator: " ").first,
            let value = Double(first), value.isFinite
        else { return nil }
        return value
    }
}

/// Why a file cannot be played: a sentence for the log and `.trackSkipped`.
struct TrackError: Error, CustomStringConvertible, Equatable {
    var description: String
}

enum TrackDecoders {
    /// Opens `path` by its content (not its name): Ogg Vorbis, Ogg Opus, FLAC, MP3 or WAV.
    static func open(_ path: String) throws -> TrackDecoder {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TrackError(description: "cannot open the file (missing or not readable)")
        }
        let magic = [UInt8]((try? handle.read(upToCount: 64)) ?? Data())
        try? handle.close()
        switch kind(of: magic) {
        case .vorbis: return try VorbisTrackDecoder(path: path)
        case .opus: return try OpusTrackDecoder(path: path)
        case .flac: return try FLACTrackDecoder(path: path)
        case .mp3: return try MP3TrackDecoder(path: path)
        case .wav: return try WAVDecoder(path: path)
        case .empty: throw TrackError(description: "the file is empty")
        case .unknown: throw TrackError(description: "not an MP3, FLAC, Ogg Vorbis, Ogg Opus or WAV file")
        }
    }

    enum Kind: Equatable { case vorbis, opus, flac, mp3, wav, empty, unknown }

    /// What the first bytes of a file say it is.
    static func kind(of magic: [UInt8]) -> Kind {
        func starts(_ text: String, at offset: Int = 0) -> Bool {
            let bytes = Array(text.utf8)
            return magic.count >= offset + bytes.count && Array(magic[offset..<offset + bytes.count]) == bytes
        }
        if magic.isEmpty { return .empty }
        if starts("OggS") {
            if starts("OpusHead", at: 28) { return .opus }
            if starts("\u{01}vorbis", at: 28) { return .vorbis }
            return .unknown
        }
        if starts("fLaC") { return .flac }
        if starts("RIFF") || starts("RIFX") { return .wav }
        if starts("ID3") { return .mp3 }
        if magic.count >= 2, magic[0] == 0xFF, magic[1] & 0xE0 == 0xE0 { return .mp3 }
        return .unknown
    }
}

/// Ogg Vorbis through libvorbisfile; the title comes from ARTIST/TITLE, else from the file name.
final class VorbisTrackDecoder: TrackDecoder {
    private let file: VorbisFile
    let title: TrackTitle
    let duration: Double?
    let tags: TrackTags

    init(path: String) throws {
        do {
            file = try VorbisFile(path: path)
        } catch let error as VorbisError {
            throw TrackError(description: "not a valid Ogg Vorbis file (\(error))")
        }
        let link = file.current
        title = TrackTitle.fromTags(artist: link?.comment("ARTIST"), title: link?.comment("TITLE"), path: path)
        duration = file.duration
        tags = TrackTags { link?.comment($0) }
    }

    func read(maxFrames: Int) throws -> (samples: [Float], format: AudioFormat)? {
        do {
            guard let block = try file.read(maxFrames: maxFrames) else { return nil }
            return (block.samples, AudioFormat(sampleRate: block.sampleRate, channels: block.channels))
        } catch let error as VorbisError {
            throw TrackError(description: "corrupt Ogg Vorbis data (\(error))")
        }
    }
}
