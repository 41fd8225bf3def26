import Foundation
import Logging

/// Joins the tracks of another source: a track's leading and trailing silence (every channel
/// below `threshold`) is cut, and with `crossfade` > 0 the last seconds of a track are mixed
/// with the first of the next (linear fade out / fade in). With 0 the tracks follow gaplessly.
/// It holds back at most `crossfade` seconds plus a trailing silent run, so what it returns
/// runs that much behind the source it reads. Audio comes out in the station's format.
final class TrackJoiner: AudioSource {
    private let inner: AudioSource
    private let format: AudioFormat
    private let converter: FormatConverter
    private let logger: Logger
    private let channels: Int
    private let fadeFrames: Int
    private let threshold: Float
    /// Longest trailing silence held back before it is let through as part of the track.
    private let maxHeldSilence: Int
    private let chunkFrames = 4096
    /// Ready to go out, in order; a segment with a track starts that title.
    private var ready: [(samples: [Float], track: TrackInfo?)] = []
    /// How much of `ready.first` went out already.
    private var readyOffset = 0
    /// The newest audio of the current track, held back for the fade and the trim.
    private var tail: [Float] = []
    /// Where the held audio starts in `tail` (what is before it went out): moving the buffer down
    /// for every block would copy the whole crossfade each time.
    private var tailStart = 0
    private var held: Int { tail.count - tailStart }
    /// Frames of silence at the end of `tail` (kept as audio arrives, not rescanned).
    private var tailSilent = 0
    /// A track that started and whose first `fadeFrames` are being collected.
    private var incoming: (track: TrackInfo, head: [Float])?
    private var trimmingLead = false

    init(inner: AudioSource, format: AudioFormat, crossfade: Double, thresholdDBFS: Double, logger: Logger) {
        self.inner = inner
        self.format = format
        self.converter = FormatConverter(target: format)
        self.logger = logger
        self.channels = max(1, format.channels)
        self.fadeFrames = max(0, Int(crossfade * Double(format.sampleRate)))
        self.threshold = Float(pow(10, thresholdDBFS / 20))
        self.maxHeldSilence = format.sampleRate * 30
    }

    var isDeviceClocked: Bool { inner.isDeviceClocked }
    func skip() { inner.skip() }
    func reload() { inner.reload() }
    func close() { inner.close() }

    func nextChunk() -> AudioChunk {
        // Bounded: a source returns audio or silence on every call.
        for _ in 0..<512 where ready.isEmpty {
            let chunk = inner.nextChunk()
            let samples: [Float]
            do {
                samples = try converter.convert(chunk.samples, from: chunk.format)
            } catch {
                logger.error("cannot convert the audio format; dropping a block", metadata: ["error": "\(error)"])
                samples = []
            }
            if let track = chunk.track { begin(track) }
            take(samples)
        }
        guard let segment = ready.first else { return AudioChunk(samples: [], format: format, track: nil) }
        // A long segment (a crossfade and the head after it) goes out a block at a time from an
        // offset, not by copying what is left of it for every block.
        let start = readyOffset
        let end = min(segment.samples.count, start + chunkFrames * channels)
        let samples = start == 0 && end == segment.samples.count ? segment.samples : Array(segment.samples[start..<end])
        if end == segment.samples.count {
            ready.removeFirst()
            readyOffset = 0
        } else {
            readyOffset = end
        }
        return AudioChunk(samples: samples, format: format, track: start == 0 ? segment.track : nil)
    }

    // MARK: Joining

    private func begin(_ track: TrackInfo) {
        if incoming != nil { join() }  // the last track was shorter than the fade: join what there is
        tail.removeLast(min(held, tailSilent * channels))
        tailSilent = 0
        incoming = (track, [])
        trimmingLead = true
    }

    private func take(_ samples: [Float]) {
        var samples = samples
        if trimmingLead {
            let silent = leadingSilentFrames(samples)
            samples.removeFirst(silent * channels)
            if samples.isEmpty { return }
            trimmingLead = false
        }
        if incoming != nil {
            incoming?.head += samples
            if let head = incoming?.head, head.count >= fadeFrames * channels { join() }
            return
        }
        let frames = samples.count / channels
        let silentEnd = trailingSilentFrames(samples)
        tailSilent = silentEnd == frames ? tailSilent + frames : silentEnd
        tail += samples
        release()
    }

    /// The old track's tail fades out under the new track's head, which starts the new title.
    private func join() {
        guard let (track, head) = incoming else { return }
        incoming = nil
        let overlap = min(fadeFrames, held / channels, head.count / channels)
        let keep = held - overlap * channels
        if keep > 0 { ready.append((Array(tail[tailStart..<tailStart + keep]), nil)) }
        var mixed = [Float](repeating: 0, count: overlap * channels)
        for frame in 0..<overlap {
            let fadeIn = Float(frame) / Float(max(1, overlap))
            for channel in 0..<channels {
                let index = frame * channels + channel
                mixed[index] = tail[tailStart + keep + index] * (1 - fadeIn) + head[index] * fadeIn
            }
        }
        ready.append((mixed + head[(overlap * channels)...], track))
        tail = []
        tailStart = 0
        tailSilent = 0
        trimmingLead = false
    }

    /// Lets go of the tail beyond what a fade or a trim could still need.
    private func release() {
        let hold = fadeFrames + min(tailSilent, maxHeldSilence)
        let excess = held - hold * channels
        guard excess > 0 else { return }
        ready.append((Array(tail[tailStart..<tailStart + excess]), nil))
        tailStart += excess
        if tailStart >= 1 << 18, tailStart * 2 >= tail.count {
            tail.removeFirst(tailStart)
            tailStart = 0
        }
        tailSilent = min(tailSilent, held / channels)
    }

    private func isSilent(_ samples: [Float], frame: Int) -> Bool {
        for channel in 0..<channels where abs(samples[frame * channels + channel]) >= threshold { return false }
        return true
    }

    private func leadingSilentFrames(_ samples: [Float]) -> Int {
        let frames = samples.count / channels
        var count = 0
        while count < frames, isSilent(samples, frame: count) { count += 1 }
        return count
    }

    private func trailingSilentFrames(_ samples: [Float]) -> Int {
        let frames = samples.count / channels
        var count = 0
        while count < frames, isSilent(samples, frame: frames - 1 - count) { count += 1 }
        return count
    }
}
