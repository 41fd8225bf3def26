import Foundation
import Logging
import StationKit

/// Records each airing of each show from the station's PCM, on a thread of its own: the audio
/// thread only hands over blocks (`write`) and titles (`mark`) through a bounded queue, and never
/// waits on a disk. The show on air comes from `site/schedule.json` (a show with `record: false`
/// is skipped). When an output has the recording's codec and bitrate (`sharedFrom`), its Opus
/// packets or MP3 frames come with the blocks and make the file, with no second encode. A write error (disk
/// full) ends the file with an alarm; the next airing, or the next try a minute later, starts a
/// new part.
/// `@unchecked Sendable`: the queue is guarded by `lock`; everything else lives on the thread.
final class Recorder: @unchecked Sendable {
    /// Audio the queue holds at most (seconds) by default; beyond it blocks are dropped with a warning.
    static let queueSeconds = 30.0
    /// After a write error, how long before a new part is tried.
    static let retryAfter = 60.0

    private enum Message {
        case audio([Float], [EncodedPacket]?, Date)
        case title(TrackTitle, show: String?)
        case live(onAir: Bool, dj: String?)
        case stop
    }

    private let settings: RecordingSettings
    private let audio: AudioFormat
    private let logger: Logger
    private let emit: @Sendable (EngineEvent) -> Void
    private let clock: @Sendable () -> Date
    private let queueLimit: Int
    /// The output whose packets the recording takes, when one can be shared.
    private let sharedFrom: String?
    private let lock = NSLock()
    private let ready = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    // Guarded by `lock`.
    private var queue: [Message] = []
    private var queuedSamples = 0
    private var dropped = false
    private var started = false

    // The recorder's thread only.
    private var lookup: ShowLookup
    private var file: RecordingFile?
    private var airing: Occurrence?
    private var failedUntil: Date?
    private var lastPrune = Date.distantPast
    /// The shared output's packets not yet written.
    private var packets = PacketQueue()
    /// When the block being recorded aired: the recorder's "now" (the wall clock in onaird).
    private var airedAt = Date.distantPast
    /// Where the last block ended (its air time), so the next one follows it without a gap.
    private var nextBlockAt: Date?
    /// The airing follows this `record: false` show, whose last track may still be on: silence is
    /// recorded in its place until an item chosen for another show starts. (The programme's clock
    /// and the recorder's may differ by a block or two, so the slot's edge alone cannot decide.)
    private var silencedShow: String?
    /// The item on air and the show it was chosen for: a file that opens mid-item lists it at 0:00.
    /// (Its title may come a block before the airing opens: the programme and the recorder read
    /// the clock a block or two apart.)
    private var onAir: (title: TrackTitle, show: String?)?
    /// A DJ is on air (the live mount), and their name when known: the airing is marked live.
    private var liveDJ: (onAir: Bool, name: String?) = (false, nil)

    init(
        settings: RecordingSettings, audio: AudioFormat, logger: Logger,
        emit: @escaping @Sendable (EngineEvent) -> Void, clock: @escaping @Sendable () -> Date = { Date() },
        queueSeconds: Double = Recorder.queueSeconds, sharedFrom: String? = nil
    ) {
        self.sharedFrom = sharedFrom
        self.queueLimit = Int(queueSeconds * Double(audio.sampleRate * max(1, audio.channels)))
        self.settings = settings
        self.audio = audio
        self.logger = logger
        self.emit = emit
        self.clock = clock
        self.lookup = ShowLookup(file: URL(fileURLWithPath: settings.scheduleFile))
    }

    /// Starts the thread; first closes what a crash left half-written and prunes old airings.
    func start() {
        guard
            lock.withLock({ () -> Bool in
                defer { started = true }; return !started
            })
        else { return }
        let worker = Thread { [self] in
            Thread.current.name = "onaird-record"
            run()
            finished.signal()
        }
        worker.start()
    }

    /// Hands a block over (the audio thread), with the shared output's packets for it (nil when
    /// that output encoded nothing: not connected): never blocks beyond a lock.
    func write(_ samples: [Float], packets: [EncodedPacket]? = nil, at date: Date) {
        let firstDrop = lock.withLock { () -> Bool in
            guard queuedSamples + samples.count <= queueLimit else {
                defer { dropped = true }
                return !dropped
            }
            queue.append(.audio(samples, packets, date))
            queuedSamples += samples.count
            return false
        }
        if firstDrop { logger.warning("the recording cannot keep up (disk too slow?); dropping audio from it") }
        ready.signal()
    }

    /// A new item starts with the next block (the audio thread); `show` is the show it was chosen for.
    func mark(_ title: TrackTitle, show: String? = nil) {
        lock.withLock { queue.append(.title(title, show: show)) }
        ready.signal()
    }

    /// A DJ came on air (`onAir`, with their name when known) or the programme came back (the audio thread).
    func live(onAir: Bool, dj: String?) {
        lock.withLock { queue.append(.live(onAir: onAir, dj: dj)) }
        ready.signal()
    }

    /// Finishes the open file (SIGTERM, reload): returns when done or after `timeout` seconds.
    func stop(timeout: Double = 10) {
        let wasStarted = lock.withLock { () -> Bool in
            queue.append(.stop)
            return started
        }
        ready.signal()
        guard wasStarted else { return }
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            logger.warning("the recorder did not stop in time", metadata: ["timeout": "\(timeout)"])
        }
    }

    // MARK: - The recorder's thread

    private func run() {
        RecordingJanitor(settings: settings, logger: logger).recoverAndPrune(now: clock(), timeZone: timeZone)
        lastPrune = clock()
        logger.info(
            "recording airings",
            metadata: [
                "record.dir": "\(settings.dir)", "record.format": "\(settings.format.rawValue)",
                "record.encoder": "\(sharedFrom.map { "packets of \($0)" } ?? "its own")",
            ])
        while true {
            _ = ready.wait(timeout: .now() + 1)
            let messages = lock.withLock { () -> [Message] in
                defer { queue = []; queuedSamples = 0; dropped = false }
                return queue
            }
            for message in messages {
                switch message {
                case .audio(let samples, let packets, let date): record(samples, packets: packets, at: date)
                case .title(let title, let show): addTrack(title, show: show)
                case .live(let onAir, let dj):
                    liveDJ = (onAir, dj)
                    if onAir { markLive() }
                case .stop:
                    file?.finish()
                    file = nil
                    return
                }
            }
            if clock().timeIntervalSince(lastPrune) > 3600 {
                lastPrune = clock()
                RecordingJanitor(settings: settings, logger: logger).recoverAndPrune(now: lastPrune, timeZone: timeZone)
            }
        }
    }

    private var timeZone: TimeZone {
        (try? ScheduleDocument.decode(Data(contentsOf: URL(fileURLWithPath: settings.scheduleFile))))
            .flatMap { TimeZone(identifier: $0.timezone) } ?? TimeZone(identifier: "UTC") ?? .current
    }

    private func record(_ samples: [Float], packets new: [EncodedPacket]?, at sent: Date) {
        let channels = max(1, audio.channels)
        if let new { packets.add(new) } else { packets.reset() }
        let rate = Double(audio.sampleRate)
        var samples = samples[...]
        // A block airs where the previous one ended, unless the engine's clock says otherwise by 2 s
        // or more (a pause, a new source): blocks sent in a burst still follow one another.
        var date = sent
        if let expected = nextBlockAt, abs(sent.timeIntervalSince(expected)) < 2 { date = expected }
        nextBlockAt = date.addingTimeInterval(Double(samples.count / channels) / rate)
        airedAt = date
        // Bounded: each pass ends at the block's end, the open airing's end or the next airing's start.
        for _ in 0..<6 where !samples.isEmpty {
            let frames = samples.count / channels
            let blockEnd = date.addingTimeInterval(Double(frames) / rate)
            let current = lookup.airing(at: date)
            if let open = airing, current?.occurrence != open { close(reason: "the airing ended") }
            if file == nil, let current { openIfRecorded(current.occurrence, info: current.info, at: date) }
            var boundary = blockEnd
            if let open = airing {
                boundary = min(boundary, open.end)
            } else if let next = lookup.airing(at: blockEnd.addingTimeInterval(-0.000_1)), next.occurrence.start > date {
                boundary = min(boundary, next.occurrence.start)  // an airing starts inside this block
            }
            let take = max(0, min(frames, Int((boundary.timeIntervalSince(date) * rate).rounded())))
            let covering = new == nil ? nil : packets.take(frames: take, rate: audio.sampleRate)
            if let file, take > 0 {
                let silent = silencedShow != nil
                let block = silent ? [Float](repeating: 0, count: take * channels) : Array(samples.prefix(take * channels))
                do { try file.append(block, packets: silent ? nil : covering) } catch {
                    fail(error)
                    return
                }
            }
            samples = samples.dropFirst(take * channels)
            date = boundary
            if let open = airing, boundary >= open.end { close(reason: "the airing ended") }
        }
    }

    private func markLive() {
        guard let file, liveDJ.onAir else { return }
        do { try file.markLive(dj: liveDJ.name) } catch { fail(error) }
    }

    private func addTrack(_ title: TrackTitle, show: String?) {
        onAir = (title, show)
        if let silenced = silencedShow {
            if show == silenced { return }  // still the unrecorded show's music: neither heard nor listed
            silencedShow = nil
        }
        guard let file else { return }
        do { try file.mark(title) } catch { fail(error) }
    }

    private func openIfRecorded(_ occurrence: Occurrence, info: ScheduleDocument.ShowInfo?, at date: Date) {
        guard info?.record ?? true, RecordingName.isSafeSlug(occurrence.show) else { return }
        if let failedUntil, date < failedUntil { return }
        failedUntil = nil
        let sidecar = RecordingSidecar(
            show: .init(slug: occurrence.show, title: occurrence.title ?? info?.title ?? occurrence.show),
            start: date, end: date, live: info?.live ?? false, dj: info?.host, file: "", format: settings.format)
        do {
            let zone = timeZone
            file = try RecordingFile(
                folder: settings.dir + "/" + occurrence.show, start: occurrence.start, timeZone: zone, sidecar: sidecar,
                settings: settings, audio: audio, shared: sharedFrom != nil)
            airing = occurrence
            // The previous show's track plays on into the slot (slot_grace); if that show may not be
            // recorded, its music stays out of this one. (Not for a later part: its track is long over.)
            silencedShow = nil
            if date.timeIntervalSince(occurrence.start) < 5,
                let before = lookup.airing(at: occurrence.start.addingTimeInterval(-1)),
                before.occurrence.end >= occurrence.start, !(before.info?.record ?? true),
                onAir.map({ $0.show == nil || $0.show == before.occurrence.show }) ?? true
            {
                silencedShow = before.occurrence.show
            }
            if let onAir, silencedShow == nil { try file?.mark(onAir.title) }
            logger.info("recording started", metadata: ["record.file": "\(file?.temporaryAudioPath ?? "")"])
            markLive()  // a DJ already on air when the slot begins
        } catch {
            airing = occurrence
            fail(error)
        }
    }

    private func close(reason: String) {
        if let file {
            file.finish()
            logger.info(
                "recording finished",
                metadata: ["record.file": "\(file.audioPath)", "record.seconds": "\(Int(file.seconds.rounded()))", "record.why": "\(reason)"])
        }
        file = nil
        airing = nil
    }

    /// A write error: the file ends with what it has, an alarm goes out, the stream goes on.
    private func fail(_ error: any Error) {
        file?.finish(afterError: true)
        file = nil
        failedUntil = airedAt.addingTimeInterval(Self.retryAfter)
        let full = (error as? RecordingFile.WriteError)?.isDiskFull ?? false
        let detail =
            full
            ? "recording stopped: the disk is full (\(error)); the stream goes on, recording retries in \(Int(Self.retryAfter)) s"
            : "recording stopped: \(error); the stream goes on, recording retries in \(Int(Self.retryAfter)) s"
        logger.error("alarm", metadata: ["alarm.reason": "recording", "alarm.detail": "\(detail)"])
        emit(.alarm(reason: .recording, detail: detail))
    }
}
