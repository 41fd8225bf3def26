import Foundation

/// Paces a clock-less source (playlist, tone) by the monotonic clock: audio up to `lead` seconds
/// ahead of the time elapsed since `start` may be sent. Deadlines are computed from the start
/// instant and the total number of frames (exact integer math), so there is no cumulative drift.
///
/// Work comes in batches: once `lead` is reached the engine sleeps until only `lead - batch` is
/// ahead, then encodes `batch` seconds in one go. Two wake-ups a second instead of twenty keep the
/// encoder's tables in the CPU cache (measured: the same audio costs less CPU per minute).
struct Pacer {
    let sampleRate: Int
    /// Nanoseconds of audio that may be sent ahead of real time (Icecast's buffer absorbs it).
    let leadNanoseconds: UInt64
    /// Nanoseconds of audio produced per wake-up (at most `lead`).
    let batchNanoseconds: UInt64
    /// If we fall this far behind (e.g. a stalled connection), start counting afresh instead of bursting.
    let maxLagNanoseconds: UInt64
    private(set) var start: UInt64
    private(set) var framesSent: UInt64 = 0

    init(sampleRate: Int, start: UInt64, lead: Double = 1, batch: Double = 0.5, maxLag: Double = 5) {
        self.sampleRate = sampleRate
        self.start = start
        self.leadNanoseconds = UInt64(lead * 1e9)
        self.batchNanoseconds = UInt64(min(max(batch, 0), lead) * 1e9)
        self.maxLagNanoseconds = UInt64(maxLag * 1e9)
    }

    /// Nanoseconds of audio in `frames` frames, exactly (no floating point, no overflow for years).
    static func nanoseconds(frames: UInt64, sampleRate: Int) -> UInt64 {
        let rate = UInt64(sampleRate)
        return (frames / rate) * 1_000_000_000 + (frames % rate) * 1_000_000_000 / rate
    }

    /// The instant (monotonic ns) at which the audio sent so far is due to be heard.
    var dueAt: UInt64 { start + Self.nanoseconds(frames: framesSent, sampleRate: sampleRate) }

    /// Counts `frames` more frames as sent.
    mutating func didSend(frames: Int) { framesSent += UInt64(frames) }

    /// How long to wait at `now` before sending more: zero while we are less than `lead` ahead;
    /// once `lead` ahead, until only `lead - batch` is. Far behind (over `maxLag`), it re-anchors
    /// the start so a stall is not followed by a burst.
    mutating func wait(at now: UInt64) -> UInt64 {
        let due = dueAt
        if now > due, now - due > maxLagNanoseconds {
            start += now - due
            return 0
        }
        let sendUntil = now + leadNanoseconds
        guard due >= sendUntil else { return 0 }
        return due - sendUntil + batchNanoseconds
    }

    /// The monotonic clock in nanoseconds (CLOCK_MONOTONIC).
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Sleeps `nanoseconds` (the engine sleeps at most a block's length at a time).
    static func sleep(nanoseconds: UInt64) {
        guard nanoseconds > 0 else { return }
        var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
    }
}
