import Foundation
import StationKit

/// What the live receiver's thread hands the audio thread: the DJ's audio, already in the
/// engine's format, in a bounded FIFO (the jitter buffer), and what is known about the session.
/// `@unchecked Sendable`: every field is guarded by `lock`.
final class LiveFeed: @unchecked Sendable {
    /// One connection to the DJ mount, as the audio thread sees it.
    struct Session: Equatable {
        /// Counts up with every new connection.
        var number: Int
        /// The DJ's stream name (`icy-name`), cleaned.
        var streamer: String?
        /// Monotonic seconds: the connection, the first and the latest decoded audio.
        var connectedAt: Double
        var firstDataAt: Double?
        var lastDataAt: Double?
        /// Monotonic seconds of the latest block above the silence threshold (nil: none yet).
        var lastLoudAt: Double?
        /// Set once the connection is over: why (`the stream ended`, `no data for 5 s`).
        var ended: String?
        /// Icecast answered 404 since: no source on the mount at all.
        var mountEmpty = false
    }

    private let lock = NSLock()
    private let channels: Int
    private let capacity: Int
    private var samples: [Float] = []
    private var head = 0
    private var session: Session?
    private var titles: [TrackTitle] = []
    private var disconnectRequested = false
    /// DJs taken off the air by an admin, by stream name (lowercased; "" for none): monotonic
    /// seconds until which they are not aired again, and that moment as wall-clock text.
    private var holds: [String: (until: Double, label: String)] = [:]

    /// `capacity` in samples (frames × channels): older audio is dropped past it.
    init(channels: Int, capacity: Int) {
        self.channels = max(1, channels)
        self.capacity = capacity
    }

    static func now() -> Double { Double(Pacer.now()) / 1e9 }

    // MARK: The receiver's side

    func begin(streamer: String?) {
        lock.withLock {
            let number = (session?.number ?? 0) + 1
            let now = Self.now()
            session = Session(
                number: number, streamer: streamer, connectedAt: now, firstDataAt: nil, lastDataAt: nil,
                lastLoudAt: nil, ended: nil)
            samples.removeAll(keepingCapacity: true)
            head = 0
            titles.removeAll()
            disconnectRequested = false
        }
    }

    /// Icecast has no source on the mount (a 404): no DJ at all. The last session stays, ended,
    /// so the audio thread still learns why it ended.
    func clear() {
        lock.withLock {
            guard session != nil else { return }
            if session?.ended == nil { session?.ended = "the mount is empty" }
            session?.mountEmpty = true
        }
    }

    func append(_ block: [Float], loud: Bool) {
        lock.withLock {
            let now = Self.now()
            if session?.firstDataAt == nil { session?.firstDataAt = now }
            session?.lastDataAt = now
            if loud { session?.lastLoudAt = now }
            samples.append(contentsOf: block)
            let excess = samples.count - head - capacity
            if excess > 0 { head += excess - excess % channels }
            if head > capacity { samples.removeFirst(head); head = 0 }
        }
    }

    func title(_ title: TrackTitle) {
        lock.withLock {
            titles.append(title)
            if titles.count > 8 { titles.removeFirst(titles.count - 8) }
        }
    }

    func end(_ reason: String) {
        lock.withLock { if session?.ended == nil { session?.ended = reason } }
    }

    /// The audio thread gave up on this session (stall, silence): drop the connection.
    var shouldDisconnect: Bool { lock.withLock { disconnectRequested } }

    /// Until when (wall-clock text) a DJ of this stream name is held off the air; nil: not held.
    func held(_ streamer: String?) -> String? {
        lock.withLock {
            let now = Self.now()
            holds = holds.filter { $0.value.until > now }
            return holds[Self.holdKey(streamer)]?.label
        }
    }

    private static func holdKey(_ streamer: String?) -> String { (streamer ?? "").lowercased() }

    // MARK: The audio thread's side

    /// Holds the DJ of this stream name off the air for `seconds` (nothing for 0).
    func hold(_ streamer: String?, seconds: Double) {
        guard seconds > 0 else { return }
        let label = ISO8601.string(Date().addingTimeInterval(seconds))
        lock.withLock { holds[Self.holdKey(streamer)] = (Self.now() + seconds, label) }
    }

    var current: Session? { lock.withLock { session } }

    /// Buffered frames.
    var frames: Int { lock.withLock { (samples.count - head) / channels } }

    /// Up to `frames` frames (fewer when the buffer runs dry).
    func take(frames: Int) -> [Float] {
        lock.withLock {
            let count = min(frames * channels, samples.count - head)
            defer { head += count }
            return Array(samples[head..<(head + count)])
        }
    }

    /// Drops the oldest audio so at most `frames` frames stay (after Icecast's burst on connect).
    func trim(toFrames frames: Int) {
        lock.withLock {
            let excess = samples.count - head - frames * channels
            if excess > 0 { head += excess }
        }
    }

    func takeTitles() -> [TrackTitle] {
        lock.withLock {
            defer { titles.removeAll() }
            return titles
        }
    }

    /// A new connection starts: the last one's disconnect request is done with.
    func clearDisconnect() {
        lock.withLock { disconnectRequested = false }
    }

    func requestDisconnect() {
        lock.withLock { disconnectRequested = true }
    }
}
