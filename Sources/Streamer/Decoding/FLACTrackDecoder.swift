import FLAC
import StationKit

/// FLAC through libFLAC (MD5 checked); the title comes from ARTIST/TITLE comments, else the file name.
/// A damaged frame or a wrong checksum is reported once the good audio has played.
final class FLACTrackDecoder: TrackDecoder {
    private let file: FLACFileDecoder
    let title: TrackTitle
    let duration: Double?
    let tags: TrackTags

    init(path: String) throws {
        do {
            file = try FLACFileDecoder(path: path)
        } catch {
            throw TrackError(description: "not a valid FLAC file (\(error))")
        }
        title = TrackTitle.fromTags(artist: file.comments["ARTIST"], title: file.comments["TITLE"], path: path)
        duration = file.totalFrames > 0 ? Double(file.totalFrames) / Double(file.sampleRate) : nil
        let comments = file.comments
        tags = TrackTags { comments[$0] }
    }

    func read(maxFrames: Int) throws -> (samples: [Float], format: AudioFormat)? {
        do {
            guard let samples = try file.read(maxFrames: maxFrames) else { return nil }
            return (samples, AudioFormat(sampleRate: file.sampleRate, channels: file.channels))
        } catch {
            throw TrackError(description: "damaged FLAC data (\(error))")
        }
    }
}
