import Opus
import StationKit

/// Ogg Opus through libopusfile (48 kHz stereo); the title comes from ARTIST/TITLE, else the file name.
final class OpusTrackDecoder: TrackDecoder {
    private let file: OpusFileDecoder
    let title: TrackTitle
    let duration: Double?
    let tags: TrackTags

    init(path: String) throws {
        do {
            file = try OpusFileDecoder(path: path)
        } catch {
            throw TrackError(description: "not a valid Ogg Opus file (\(error))")
        }
        title = TrackTitle.fromTags(artist: file.comment("ARTIST"), title: file.comment("TITLE"), path: path)
        duration = file.duration
        let file = file
        tags = TrackTags { file.comment($0) }
    }

    func read(maxFrames: Int) throws -> (samples: [Float], format: AudioFormat)? {
        do {
            guard let samples = try file.read(maxFrames: maxFrames) else { return nil }
            return (samples, AudioFormat(sampleRate: OpusFileDecoder.sampleRate, channels: OpusFileDecoder.channels))
        } catch {
            throw TrackError(description: "corrupt Ogg Opus data (\(error))")
        }
    }
}
