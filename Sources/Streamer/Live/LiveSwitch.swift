import Foundation
import Logging
import StationKit

/// The audio thread's side of live input: decides when the DJ goes on air and when the programme
/// comes back, and crossfades between them (equal power, `fade` seconds). While the DJ is fully on
/// air the programme is not read at all: it resumes where it was. The engine's pacer stays the
/// clock; the feed's jitter buffer absorbs the network. Not Sendable: owned by the audio thread.
final class LiveSwitch {
    enum Phase: Equatable {
        case programme
        case fadingIn(done: Int)
        case live
        case fadingOut(done: Int)
    }

    /// What one engine step gets back.
    struct Mix {
        var samples: [Float]
        /// Titles to put on air now (the DJ's, while they are on).
        var titles: [TrackTitle] = []
        /// The programme is back: its title goes on air again.
        var handBack = false
    }

    let settings: LiveSettings
    let feed: LiveFeed
    private let format: AudioFormat
    private let logger: Logger
    private let onEvent: @Sendable (EngineEvent) -> Void
    private(set) var phase = Phase.programme
    private var onAir: Int?
    /// A session given up for a stall stays off the air; after silence, the DJ comes back with sound.
    private var blockedSession: Int?
    private var silencedAt: Double?
    /// After a stall, Icecast may still hold the stalled source and send its old burst to every
    /// new connection: until the mount is empty, a DJ needs data that keeps arriving.
    private var requireFlow = false
    /// The DJ's stream name (ice-name), once a DJ came on.
    private(set) var streamer: String?
    private var lastTitle: TrackTitle?
    private var underrunLogged = false
    /// Asked from outside (the studio, `onair live-end`): take the DJ off at the next step.
    private var endRequest: String?
    /// The programme's title (the engine keeps it current): it goes back on air at a hand-back.
    var programmeTitle: TrackTitle?

    init(settings: LiveSettings, feed: LiveFeed, format: AudioFormat, logger: Logger, onEvent: @escaping @Sendable (EngineEvent) -> Void) {
        self.settings = settings
        self.feed = feed
        self.format = format
        self.logger = logger
        self.onEvent = onEvent
    }

    /// Takes the DJ on air off it (nothing when none is): that connection stays off the air.
    func end(reason: String) {
        if isOnAir { endRequest = reason }
    }

    /// True while the programme must be read (everywhere but fully live).
    var needsProgramme: Bool { phase != .live }
    /// True while the DJ's titles rule (fading in or live).
    var isOnAir: Bool {
        switch phase {
        case .fadingIn, .live: true
        case .programme, .fadingOut: false
        }
    }

    private var channels: Int { max(1, format.channels) }
    private var fadeFrames: Int { max(1, Int(settings.fade * Double(format.sampleRate))) }
    /// Frames per step while fully live (the programme gives none to size it).
    private var blockFrames: Int { max(256, format.sampleRate / 20) }

    /// One step: the programme's samples (engine format; empty while live) in, what goes out.
    func mix(_ programme: [Float]) -> Mix {
        let frames = programme.isEmpty ? blockFrames : programme.count / channels
        let now = LiveFeed.now()
        switch phase {
        case .programme:
            guard let session = feed.current, !session.mountEmpty else {
                requireFlow = false
                return Mix(samples: programme)
            }
            guard shouldStart(session, now: now) else { return Mix(samples: programme) }
            feed.trim(toFrames: Int(settings.jitter * Double(format.sampleRate)))
            onAir = session.number
            streamer = session.streamer
            underrunLogged = false
            silencedAt = nil
            logger.notice(
                "DJ on air on every output", metadata: ["live.mount": "\(settings.mount)", "live.streamer": "\(session.streamer ?? "unnamed")"])
            var titles = feed.takeTitles()
            if titles.isEmpty { titles = [lastTitle ?? TrackTitle(text: session.streamer ?? "Live")] }
            lastTitle = titles.last
            onEvent(.liveStarted(streamer: session.streamer, title: titles.last))
            var result = crossfade(programme: programme, frames: frames, start: 0, towardsDJ: true)
            phase = frames >= fadeFrames ? .live : .fadingIn(done: frames)
            result.titles = titles
            return result
        case .fadingIn(let done):
            if let reason = endReason(now: now) { return handBack(programme, frames: frames, reason: reason, fadeFrom: done) }
            var result = crossfade(programme: programme, frames: frames, start: done, towardsDJ: true)
            result.titles = newTitles()
            phase = done + frames >= fadeFrames ? .live : .fadingIn(done: done + frames)
            return result
        case .live:
            if let reason = endReason(now: now) { return handBack(programme, frames: frames, reason: reason, fadeFrom: fadeFrames) }
            if feed.frames > Int((settings.jitter + 2) * Double(format.sampleRate)) {
                feed.trim(toFrames: Int(settings.jitter * Double(format.sampleRate)))  // the DJ's clock runs fast
            }
            return Mix(samples: dj(frames), titles: newTitles())
        case .fadingOut(let done):
            let result = crossfade(programme: programme, frames: frames, start: done, towardsDJ: false)
            phase = done + frames >= fadeFrames ? .programme : .fadingOut(done: done + frames)
            return result
        }
    }

    /// A DJ goes on once data keeps arriving, the jitter buffer is full and there is sound.
    private func shouldStart(_ session: LiveFeed.Session, now: Double) -> Bool {
        guard session.ended == nil, session.number != blockedSession,
            let first = session.firstDataAt, let last = session.lastDataAt, let loud = session.lastLoudAt
        else { return false }
        // Sound in it; after a stall, data that keeps arriving (not only Icecast's burst on connect).
        return (!requireFlow || last - first >= 0.3) && now - last < settings.stallAfter
            && feed.frames >= Int(settings.jitter * Double(format.sampleRate))
            && now - loud < settings.silenceAfter && loud > (silencedAt ?? -1)
    }

    private func endReason(now: Double) -> String? {
        guard let session = feed.current else { return "the DJ left" }
        if let request = endRequest {
            endRequest = nil
            blockedSession = session.number  // not aired again, even if Icecast keeps the connection
            feed.hold(session.streamer, seconds: settings.endHold)  // nor is a reconnect, for a while
            return request
        }
        if session.number != onAir {
            // The receiver reconnected at once (a new session): keep the DJ on if it already has data.
            guard session.ended == nil, session.firstDataAt != nil else { return "the DJ's connection was lost" }
            onAir = session.number
        }
        // A DJ who hung up is aired to their last word: the buffer plays out, and what is left when
        // one more block and a fade remain goes out under the fade back to the programme.
        if let ended = session.ended, feed.frames <= blockFrames + fadeFrames { return "the DJ left (\(ended))" }
        if session.ended != nil { return nil }
        if now - (session.lastDataAt ?? session.connectedAt) > settings.stallAfter {
            blockedSession = session.number
            requireFlow = true
            feed.requestDisconnect()
            return "the DJ's stream stalled (no data for \(DaemonConfig.number(settings.stallAfter)) s)"
        }
        if now - (session.lastLoudAt ?? session.connectedAt) > settings.silenceAfter {
            silencedAt = now
            return
                "the DJ's stream went silent (below \(DaemonConfig.number(settings.silenceThreshold)) dBFS for \(DaemonConfig.number(settings.silenceAfter)) s)"
        }
        return nil
    }

    private func handBack(_ programme: [Float], frames: Int, reason: String, fadeFrom: Int) -> Mix {
        // Fade out from where the fade-in had got to, so the level never jumps.
        let start = fadeFrames - min(fadeFrom, fadeFrames)
        phase = .fadingOut(done: start)
        logger.notice(
            "back to the programme",
            metadata: ["live.mount": "\(settings.mount)", "live.reason": "\(reason)", "live.streamer": "\(streamer ?? "unnamed")"])
        onEvent(.liveEnded(reason: reason, title: programmeTitle))
        onAir = nil
        endRequest = nil
        lastTitle = nil
        var result = programme.isEmpty ? Mix(samples: dj(frames)) : crossfade(programme: programme, frames: frames, start: start, towardsDJ: false)
        if !programme.isEmpty { phase = start + frames >= fadeFrames ? .programme : .fadingOut(done: start + frames) }
        result.handBack = true
        return result
    }

    private func newTitles() -> [TrackTitle] {
        let titles = feed.takeTitles().filter { $0 != lastTitle }
        if let last = titles.last { lastTitle = last }
        return titles
    }

    /// `frames` frames of the DJ, silence where the buffer ran dry (logged once per DJ on air).
    private func dj(_ frames: Int) -> [Float] {
        var samples = feed.take(frames: frames)
        let missing = frames * channels - samples.count
        if missing > 0 {
            samples += [Float](repeating: 0, count: missing)
            if isOnAir, !underrunLogged {
                underrunLogged = true
                logger.info(
                    "the DJ's audio ran short (the network or their clock); filled with silence",
                    metadata: ["live.mount": "\(settings.mount)", "live.missing_ms": "\(missing / channels * 1000 / max(1, format.sampleRate))"])
            }
        }
        return samples
    }

    /// Equal-power crossfade over `fadeFrames`, from `start` frames into the fade.
    private func crossfade(programme: [Float], frames: Int, start: Int, towardsDJ: Bool) -> Mix {
        let live = dj(frames)
        var out = [Float](repeating: 0, count: frames * channels)
        let total = Float(fadeFrames)
        for frame in 0..<frames {
            let progress = min(1, Float(start + frame) / total)
            let djShare = towardsDJ ? progress : 1 - progress
            let djGain = sin(djShare * .pi / 2), programmeGain = cos(djShare * .pi / 2)
            for channel in 0..<channels {
                let index = frame * channels + channel
                let p = index < programme.count ? programme[index] : 0
                out[index] = p * programmeGain + live[index] * djGain
            }
        }
        return Mix(samples: out)
    }
}
