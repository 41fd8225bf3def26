import Foundation
import Vorbis

/// A decoder for one file: interleaved float blocks in the file's own format.
protocol TrackDecoder: AnyObject {
    var title: TrackTitle { get }
    /// Seconds, when known.
    var duration: Double? { get }
    /// The next block, or nil at the end. Throws when the data is corrupt.
    func read(maxFrames: Int) throws -> (samples: [Float], format: AudioFormat)?
}

/// Why a file cannot be played: a sentence for the log and `.trackSkipped`.
struct TrackError: Error, CustomStringConvertible, Equatable {
    var description: String
}

enum TrackDecoders {
    /// Opens `path` by its content (not its name): Ogg Vorbis ("OggS") or WAV ("RIFF....WAVE").
    static func open(_ path: String) throws -> TrackDecoder {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TrackError(description: "cannot open the file (missing or not readable)")
        }
        let magic = (try? handle.read(upToCount: 12)) ?? Data()
        try? handle.close()
        if magic.starts(with: Array("OggS".utf8)) {
            return try VorbisTrackDecoder(path: path)
        }
        if magic.starts(with: Array("RIFF".utf8)) || magic.starts(with: Array("RIFX".utf8)) {
            return try WAVDecoder(path: path)
        }
        if magic.isEmpty { throw TrackError(description: "the file is empty") }
        throw TrackError(description: "not an Ogg Vorbis or WAV file")
    }
}

/// Ogg Vorbis through libvorbisfile; the title comes from ARTIST/TITLE, else from the file name.
final class VorbisTrackDecoder: TrackDecoder {
    private let file: VorbisFile
    let title: TrackTitle
    let duration: Double?

    init(path: String) throws {
        do {
            file = try VorbisFile(path: path)
        } catch let error as VorbisError {
            throw TrackError(description: "not a valid Ogg Vorbis file (\(error))")
        }
        let link = file.current
        title = TrackTitle.fromTags(artist: link?.comment("ARTIST"), title: link?.comment("TITLE"), path: path)
        duration = file.duration
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
