import Foundation
import Mpg123
import StationKit

/// MP3 through libmpg123; the title comes from ID3v2 (else ID3v1) artist/title, else the file name.
/// A broken ID3 tag is ignored (the audio still plays); a truncated file plays as far as it goes.
final class MP3TrackDecoder: TrackDecoder {
    private let file: MP3FileDecoder
    let title: TrackTitle
    let duration: Double?
    let tags: TrackTags
    private var pending: String?
    private var ended = false

    init(path: String) throws {
        do {
            file = try MP3FileDecoder(path: path)
        } catch {
            throw TrackError(description: "not a valid MP3 file (\(error))")
        }
        title = TrackTitle.fromTags(artist: file.artist, title: file.title, path: path)
        duration = file.duration
        let frames = file.tags
        tags = TrackTags { frames[$0] }
        if file.hasUnreadableID3v2 {
            pending = "the ID3v2 tag is damaged or empty; the title comes from the file name"
        }
    }

    func takeWarning() -> String? {
        defer { pending = nil }
        return pending
    }

    func read(maxFrames: Int) throws -> (samples: [Float], format: AudioFormat)? {
        do {
            guard let samples = try file.read(maxFrames: maxFrames) else {
                // One MP3 frame is 1152 samples: more missing than two frames means the file was cut short.
                if !ended, file.announcedFrames > 0, file.decodedFrames + 2304 < file.announcedFrames, file.sampleRate > 0 {
                    let rate = Double(file.sampleRate)
                    pending = String(
                        format: "the file ends early (truncated?): played %.1f s of %.1f s",
                        Double(file.decodedFrames) / rate, Double(file.announcedFrames) / rate)
                }
                ended = true
                return nil
            }
            return (samples, AudioFormat(sampleRate: file.sampleRate, channels: file.channels))
        } catch {
            throw TrackError(description: "corrupt MP3 data (\(error))")
        }
    }
}
