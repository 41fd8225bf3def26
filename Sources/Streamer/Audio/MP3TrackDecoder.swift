import Mpg123

/// MP3 through libmpg123; the title comes from ID3v2 (else ID3v1) artist/title, else the file name.
/// A broken ID3 tag is ignored (the audio still plays); a truncated file plays as far as it goes.
final class MP3TrackDecoder: TrackDecoder {
    private let file: MP3FileDecoder
    let title: TrackTitle
    let duration: Double?

    init(path: String) throws {
        do {
            file = try MP3FileDecoder(path: path)
        } catch {
            throw TrackError(description: "not a valid MP3 file (\(error))")
        }
        title = TrackTitle.fromTags(artist: file.artist, title: file.title, path: path)
        duration = file.duration
    }

    func read(maxFrames: Int) throws -> (samples: [Float], format: AudioFormat)? {
        do {
            guard let samples = try file.read(maxFrames: maxFrames) else { return nil }
            return (samples, AudioFormat(sampleRate: file.sampleRate, channels: file.channels))
        } catch {
            throw TrackError(description: "corrupt MP3 data (\(error))")
        }
    }
}
