import Foundation
import Logging
import StationKit

/// Plays what the `Programme` picks, track after track with no gap: the show's folder, the
/// rotation, station IDs. A file that cannot be played is skipped; a track silent for longer
/// than `silenceAfter` is skipped with an alarm; when the slot changed more than `slotGrace`
/// seconds ago the track fades out. Nothing playable anywhere: a 440 Hz tone (never silence),
/// and the folders are tried again every few seconds.
final class ScheduleSource: AudioSource {
    static let fadeSeconds = 2.0

    /// The DJ's input during a live show (see `LiveInput`); nil until the live mount exists.
    var liveInput: LiveInput?

    private let settings: ScheduleSettings
    private let format: AudioFormat
    private let logger: Logger
    private let clock: ProgrammeClock
    private let emit: (EngineEvent) -> Void
    private let publishStatus: (ProgrammeStatus) -> Void
    private let programme: Programme
    private let framesPerChunk = 2048
    private let silenceLevel: Float
    private var current: Playing?
    private var nextID = 1
    private var tone: ToneSource?
    private var toneRetryAt = Date.distantPast
    private var liveOn = false
    private var statusAt = Date.distantPast
    private let levels: LoudnessLevels?

    private struct Playing {
        var id: Int
        var item: ProgrammeItem
        var decoder: TrackDecoder
        var started = false
        var frames = 0
        var rate = 44_100
        var silentFrames = 0
        var fadeLeft: Int?
        var fadeTotal = 1
        var gain: Float = 1
    }

    init(
        settings: ScheduleSettings, format: AudioFormat, logger: Logger, clock: ProgrammeClock = WallClock(),
        emit: @escaping (EngineEvent) -> Void, status: @escaping (ProgrammeStatus) -> Void = { _ in }
    ) {
        self.settings = settings
        self.format = format
        self.logger = logger
        self.clock = clock
        self.emit = emit
        self.publishStatus = status
        self.silenceLevel = Float(pow(10, settings.silenceThreshold / 20))
        self.levels = settings.loudness.map { LoudnessLevels(target: $0, cacheFile: settings.loudnessCache, logger: logger) }
        self.programme = Programme(settings: settings, clock: clock) { reason, detail in
            logger.warning("alarm", metadata: ["alarm.reason": "\(reason.rawValue)", "alarm.detail": "\(detail)"])
            emit(.alarm(reason: reason, detail: detail))
        }
    }

    var isDeviceClocked: Bool { false }

    func nextChunk() -> AudioChunk {
        let now = clock.now()
        if now.timeIntervalSince(statusAt) >= 2 || now < statusAt { updateStatus() }
        // Bounded: each pass opens a file or reads a block.
        for _ in 0..<64 {
            if current == nil {
                if let live = liveChunk() { return live }
                if tone != nil, now < toneRetryAt { return toneChunk() }
                guard let item = programme.next() else { return toneChunk() }
                open(item)
                continue
            }
            guard var playing = current else { continue }
            if playing.fadeLeft == nil, programme.mustEnd(playing.item) {
                playing.fadeTotal = max(1, Int(Self.fadeSeconds * Double(playing.rate)))
                playing.fadeLeft = playing.fadeTotal
                logger.info("slot changed: fading out the current track", metadata: ["file": "\(playing.item.file)"])
            }
            let block: (samples: [Float], format: AudioFormat)?
            do {
                block = try playing.decoder.read(maxFrames: framesPerChunk)
            } catch {
                current = playing
                fail(because: "\(error)")
                continue
            }
            guard var (samples, blockFormat) = block else {
                current = playing
                if !playing.started { fail(because: "the file holds no audio") } else { end() }
                continue
            }
            if samples.isEmpty { current = playing; continue }
            let channels = max(1, blockFormat.channels)
            let frames = samples.count / channels
            playing.rate = blockFormat.sampleRate
            if samples.contains(where: { abs($0) >= silenceLevel }) { playing.silentFrames = 0 } else { playing.silentFrames += frames }
            if Double(playing.silentFrames) > settings.silenceAfter * Double(playing.rate) {
                current = playing
                let seconds = Int(settings.silenceAfter.rounded())
                let detail = "\(playing.item.file) was silent for more than \(seconds) s: skipped"
                logger.warning("alarm", metadata: ["alarm.reason": "silence", "alarm.detail": "\(detail)"])
                emit(.alarm(reason: .silence, detail: detail))
                programme.failed(playing.item)
                end()
                continue
            }
            if playing.gain != 1 {
                let gain = playing.gain
                for index in samples.indices { samples[index] *= gain }
            }
            if var left = playing.fadeLeft {
                for frame in 0..<frames {
                    let gain = Float(max(0, left)) / Float(playing.fadeTotal)
                    for channel in 0..<channels { samples[frame * channels + channel] *= gain }
                    left -= 1
                }
                playing.fadeLeft = left
            }
            var track: TrackInfo?
            if !playing.started {
                playing.started = true
                track = TrackInfo(title: playing.decoder.title, duration: playing.decoder.duration, show: playing.item.show)
                tone = nil
                announce(playing)
            }
            playing.frames += frames
            current = playing
            if let left = playing.fadeLeft, left <= 0 { end() }
            return AudioChunk(samples: samples, format: blockFormat, track: track)
        }
        return toneChunk()
    }

    func skip() {
        end()
    }

    func close() {
        end()
    }

    // MARK: Items

    private func open(_ item: ProgrammeItem) {
        do {
            let decoder = try TrackDecoders.open(item.path)
            current = Playing(id: nextID, item: item, decoder: decoder, rate: format.sampleRate)
            if let levels {
                current?.gain = Float(pow(10, levels.gain(for: item.path, tags: decoder.tags) / 20))
            }
            nextID += 1
            if let problem = decoder.takeWarning() {
                logger.warning("playing a file with a problem", metadata: ["file.path": "\(item.path)", "reason": "\(problem)"])
            }
        } catch {
            current = Playing(id: 0, item: item, decoder: NoDecoder(), rate: format.sampleRate)
            fail(because: "\(error)")
        }
    }

    private func announce(_ playing: Playing) {
        let title = playing.decoder.title
        let tags = playing.decoder.tags
        let entry = PlayoutEntry(
            start: clock.now(), seconds: 0, artist: title.artist, title: title.title ?? title.text,
            album: tags.album, label: tags.label, isrc: tags.isrc, show: playing.item.show,
            kind: playing.item.kind, file: playing.item.file, listeners: 0)
        programme.played(playing.item)
        emit(.itemStarted(id: playing.id, entry: entry))
        logger.info(
            "on air",
            metadata: [
                "file": "\(playing.item.file)", "kind": "\(playing.item.kind.rawValue)",
                "show": "\(playing.item.show)",
            ])
        updateStatus()
    }

    private func fail(because reason: String) {
        guard let playing = current else { return }
        current = nil
        logger.warning("skipping a file that cannot be played", metadata: ["file.path": "\(playing.item.path)", "reason": "\(reason)"])
        emit(.trackSkipped(path: playing.item.path, reason: reason))
        programme.failed(playing.item)
    }

    private func end() {
        guard let playing = current else { return }
        current = nil
        if playing.started {
            emit(.itemEnded(id: playing.id, seconds: Double(playing.frames) / Double(max(1, playing.rate))))
        }
    }

    // MARK: Fallbacks

    /// The tone while nothing can be played; the programme is asked again every few seconds.
    private func toneChunk() -> AudioChunk {
        let now = clock.now()
        if tone == nil {
            tone = ToneSource(frequency: 440, titleEvery: 0, format: format)
            logger.warning("nothing in the music folder can be played: playing a tone", metadata: ["music": "\(settings.music)"])
            updateStatus()
        }
        if now >= toneRetryAt { toneRetryAt = now.addingTimeInterval(programme.recheck) }
        return tone?.nextChunk() ?? AudioChunk(samples: [], format: format, track: nil)
    }

    private func liveChunk() -> AudioChunk? {
        guard let input = liveInput, input.isConnected, programme.slot().live, var chunk = input.nextChunk() else {
            liveOn = false
            return nil
        }
        if !liveOn {
            liveOn = true
            chunk.track = chunk.track ?? TrackInfo(title: TrackTitle(text: "Live"), duration: nil)
        }
        return chunk
    }

    private func updateStatus() {
        statusAt = clock.now()
        var status = programme.status
        if tone != nil, current == nil { status.folder = "tone" }
        status.waitingForDJ = status.waitingForDJ && !liveOn
        publishStatus(status)
        // The next files are measured before they play.
        levels?.prepare(
            (status.next + [status.nextID].compactMap { $0 }).map { file in
                file.hasPrefix("/") ? file : (settings.music as NSString).appendingPathComponent(file)
            })
    }
}

/// Stands in for a file that did not open, so the failure goes through the same path.
private final class NoDecoder: TrackDecoder {
    var title: TrackTitle { TrackTitle(text: "") }
    var duration: Double? { nil }
    func read(maxFrames: Int) throws -> (samples: [Float], format: AudioFormat)? { nil }
}
