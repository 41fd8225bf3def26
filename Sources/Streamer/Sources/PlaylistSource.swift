import Foundation
import Logging
import StationKit

/// Plays a folder or .m3u track after track with no gap. A file that cannot be played is skipped
/// (`.trackSkipped` + a warning); when nothing can be played it plays silence under a clear title
/// and looks at the playlist again every `recheckInterval` seconds.
final class PlaylistSource: AudioSource {
    static let silenceTitle = TrackTitle(text: "Silence: the playlist has nothing to play")

    private var playlist: Playlist
    private let format: AudioFormat
    private let logger: Logger
    private let emit: (EngineEvent) -> Void
    private let framesPerChunk = 2048
    private let recheckInterval: Double
    private var decoder: TrackDecoder?
    private var decoderPath = ""
    private var decoderProducedAudio = false
    private var silentUntil: UInt64 = 0
    private var isSilent = false
    /// Files reported since audio last played: while nothing is playable, not reported again every recheck.
    private var reported: Set<String> = []

    init(
        path: String, shuffle: Bool, format: AudioFormat, logger: Logger, recheckInterval: Double = 5,
        emit: @escaping (EngineEvent) -> Void
    ) {
        self.playlist = Playlist(path: path, shuffle: shuffle)
        self.format = format
        self.logger = logger
        self.emit = emit
        self.recheckInterval = recheckInterval
    }

    var isDeviceClocked: Bool { false }

    func nextChunk() -> AudioChunk {
        var track: TrackInfo?
        var failures = 0
        // Bounded: every pass opens a file or reads a block; give up after a whole playlist of failures.
        for _ in 0..<10_000 {
            if decoder == nil {
                if isSilent, Pacer.now() < silentUntil { return silence(track: nil) }
                guard let path = playlist.next() else { return beginSilence(because: emptyReason()) }
                do {
                    let opened = try TrackDecoders.open(path)
                    decoder = opened
                    decoderPath = path
                    decoderProducedAudio = false
                    track = TrackInfo(title: opened.title, duration: opened.duration)
                    warnAbout(path, opened)
                } catch {
                    failures += 1
                    report(path, error)
                    if failures >= max(1, playlist.files.count) { return beginSilence(because: "no file in it can be played") }
                    continue
                }
            }
            guard let current = decoder else { continue }
            do {
                if let block = try current.read(maxFrames: framesPerChunk) {
                    if block.samples.isEmpty { continue }
                    decoderProducedAudio = true
                    reported = []
                    if isSilent {
                        isSilent = false
                        logger.info("playlist plays again", metadata: ["playlist.path": "\(playlist.path)"])
                    }
                    return AudioChunk(samples: block.samples, format: block.format, track: track)
                }
                warnAbout(decoderPath, current)
                decoder = nil  // end of the track: go straight on to the next one (gapless)
                if !decoderProducedAudio {
                    failures += 1
                    report(decoderPath, TrackError(description: "the file holds no audio"))
                }
            } catch {
                decoder = nil
                failures += 1
                report(decoderPath, error)
            }
            if failures >= max(1, playlist.files.count) { return beginSilence(because: "no file in it can be played") }
        }
        return beginSilence(because: "no file in it can be played")
    }

    func skip() {
        decoder = nil
        silentUntil = 0
    }

    func reload() {
        do {
            try playlist.refresh(reshuffle: playlist.shuffle)
            logger.info("playlist re-read", metadata: ["playlist.path": "\(playlist.path)", "playlist.files": "\(playlist.files.count)"])
        } catch {
            logger.warning("cannot re-read the playlist", metadata: ["playlist.path": "\(playlist.path)", "error": "\(error)"])
        }
        silentUntil = 0
    }

    func close() { decoder = nil }

    private func report(_ path: String, _ error: Error) {
        if isSilent, reported.contains(path) { return }
        reported.insert(path)
        let reason = "\(error)"
        logger.warning("skipping a file that cannot be played", metadata: ["file.path": "\(path)", "reason": "\(reason)"])
        emit(.trackSkipped(path: path, reason: reason))
    }

    /// A file that plays despite a problem: one warning (not a skip).
    private func warnAbout(_ path: String, _ decoder: TrackDecoder) {
        guard let problem = decoder.takeWarning() else { return }
        logger.warning("playing a file with a problem", metadata: ["file.path": "\(path)", "reason": "\(problem)"])
    }

    private func emptyReason() -> String {
        do {
            return try Playlist.scan(playlist.path).isEmpty ? "it holds no .mp3, .flac, .ogg, .opus or .wav files" : "no file in it can be played"
        } catch {
            return "\(error)"
        }
    }

    private func beginSilence(because reason: String) -> AudioChunk {
        decoder = nil
        silentUntil = Pacer.now() + UInt64(recheckInterval * 1e9)
        guard !isSilent else { return silence(track: nil) }
        isSilent = true
        logger.warning(
            "the playlist has nothing to play: playing silence and checking it again every few seconds",
            metadata: ["playlist.path": "\(playlist.path)", "reason": "\(reason)"])
        return silence(track: TrackInfo(title: Self.silenceTitle, duration: nil))
    }

    private func silence(track: TrackInfo?) -> AudioChunk {
        AudioChunk(samples: [Float](repeating: 0, count: framesPerChunk * format.channels), format: format, track: track)
    }
}
