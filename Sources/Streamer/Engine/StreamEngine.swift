import ALSA
import Foundation
import Logging
import StationKit

/// Source -> (resample) -> encoders -> Icecast, on one dedicated thread paced by the right clock.
///
/// The audio thread owns every C handle (decoders, capture device, encoders, connections). Other
/// threads talk to it through a lock-protected mailbox (`setTitle`, `skip`, `reload`, `stop`) and
/// read `status`; events come back through `onEvent`, called on the audio thread.
/// `@unchecked Sendable`: the C handles live on the audio thread alone; what other threads touch
/// (settings, mailbox, status, thread) is guarded by `lock`.
final class StreamEngine: @unchecked Sendable {
    private let logger: Logger
    private let onEvent: @Sendable (EngineEvent) -> Void
    private let lock = NSLock()
    private let finished = DispatchSemaphore(value: 0)
    /// Signalled with every command, so the audio thread's pacing sleep ends early and a title
    /// change reaches the stream at once instead of after the next batch.
    private let wake = DispatchSemaphore(value: 0)

    // Guarded by `lock`.
    private var settings: EngineSettings
    private var mailbox = Mailbox()
    private var current = EngineStatus(source: "", title: nil, connectedMounts: [], startedAt: nil)
    private var thread: Thread?
    private var running = false

    private struct Mailbox {
        var title: String?
        var skip = false
        var endLive: String?
        var reload: EngineSettings?
        var stop = false
    }

    /// Hands a source made on the caller's thread to the audio thread (`@unchecked`: handed over once,
    /// never touched by the caller again).
    private final class SourceBox: @unchecked Sendable {
        let source: AudioSource
        init(_ source: AudioSource) { self.source = source }
    }

    init(settings: EngineSettings, logger: Logger, onEvent: @escaping @Sendable (EngineEvent) -> Void) {
        self.settings = settings
        self.logger = logger
        self.onEvent = onEvent
        current.source = settings.source.summary
    }

    /// Starts the audio thread. Throws for what cannot be retried: a missing ALSA device, an output
    /// libvorbis cannot encode. Icecast being down is not an error: the engine keeps retrying.
    func start() throws {
        let settings = lock.withLock { self.settings }
        guard lock.withLock({ self.thread == nil }) else { return }
        for output in settings.outputs {
            try IcecastSink.validate(output, format: settings.audio)
        }
        let source = try makeSource(settings.source, audio: settings.audio)
        let box = SourceBox(source)
        let summary = settings.source.summary
        let worker = Thread { [self] in
            Thread.current.name = "onaird-audio"  // from inside: on Linux this names the running thread
            run(source: box.source, settings: settings)
            finished.signal()
        }
        worker.stackSize = 4 << 20
        lock.withLock {
            self.thread = worker
            self.running = true
            self.current.source = summary
            self.current.startedAt = Date()
        }
        worker.start()
    }

    /// Stops the audio thread, closes the Icecast connections (end-of-stream sent), returns when
    /// done or after `timeout` seconds at most.
    func stop(timeout: Double = 5) {
        let wasRunning = lock.withLock { () -> Bool in
            mailbox.stop = true
            wake.signal()
            let was = running
            running = false
            return was
        }
        guard wasRunning else { return }
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            logger.warning("the audio thread did not stop in time", metadata: ["timeout": "\(timeout)"])
        }
    }

    func stop() { stop(timeout: 5) }

    /// Sets the title on air now (a DJ's `onair now`), in the stream and via `.titleChanged`.
    func setTitle(_ text: String) {
        lock.withLock { mailbox.title = text }
        wake.signal()
    }

    /// Ends the current track (playlist) and starts the next.
    func skip() {
        lock.withLock { mailbox.skip = true }
        wake.signal()
    }

    /// Takes the live DJ off the air; the programme fades back in.
    func endLive(reason: String) {
        lock.withLock { mailbox.endLive = reason }
        wake.signal()
    }

    /// SIGHUP: re-read the playlist; a changed source or outputs are rebuilt.
    func reload(settings: EngineSettings) {
        lock.withLock { mailbox.reload = settings }
        wake.signal()
    }

    var status: EngineStatus {
        lock.withLock { current }
    }

    // MARK: - The audio thread

    private func run(source initialSource: AudioSource, settings initialSettings: EngineSettings) {
        var settings = initialSettings
        var source = initialSource
        let converter = FormatConverter(target: settings.audio)
        let outputRates = OutputRateConverters(station: settings.audio)
        var sinks = makeSinks(settings)
        var recorder = makeRecorder(settings, sinks: sinks)
        var pacer = Pacer(sampleRate: settings.audio.sampleRate, start: Pacer.now())
        var onAir: TrackTitle?
        // The DJ mount (Live/): a receiver thread fills the feed, the switch mixes it in.
        let receiver = settings.live.map {
            LiveReceiver(settings: $0, host: settings.icecast.host, port: settings.icecast.port, format: settings.audio, logger: logger)
        }
        let live = receiver.flatMap { receiver in
            settings.live.map { LiveSwitch(settings: $0, feed: receiver.feed, format: settings.audio, logger: logger, onEvent: onEvent) }
        }
        receiver?.start()
        defer { receiver?.stop() }
        var programmeTrack: TrackInfo?
        var djOnAir = false
        // Clock-less sources are encoded a quarter second at a time: each encoder then runs over a
        // longer stretch with its tables in the CPU cache, instead of the encoders taking turns
        // every 46 ms. A title change or a new track sends what came before it first.
        let batchFrames = max(1, settings.audio.sampleRate / 4)
        let channels = max(1, settings.audio.channels)
        var pending: [Float] = []
        // After a new title, this many frames go out without pacing: Icecast rebuilds Vorbis
        // streams into pages of half a second and sends a new title's headers to listeners only
        // with the first such page, so the new title would otherwise wait up to a pacing cycle.
        let catchUpFrames = settings.audio.sampleRate * 4 / 5
        var catchUp = 0
        pending.reserveCapacity(batchFrames * channels + 8192 * channels)
        func send() {
            guard !pending.isEmpty else { return }
            let now = Pacer.now()
            // Decoded and converted once; one more conversion per distinct output rate.
            var byRate = [settings.audio.sampleRate: pending]
            var packets: [EncodedPacket]?  // the recording's, when it shares an output's encoder
            for sink in sinks {
                let rate = sink.format.sampleRate
                if byRate[rate] == nil { byRate[rate] = outputRates.convert(pending, to: rate, logger: logger) }
                sink.write(byRate[rate] ?? [], now: now)
                if sink.sharesPackets { packets = sink.takePackets() }
            }
            recorder?.write(pending, packets: packets, at: Date())
            pacer.didSend(frames: pending.count / channels)
            pending.removeAll(keepingCapacity: true)
        }
        logger.info("audio engine started", metadata: ["source": "\(settings.source.summary)", "outputs": "\(sinks.map(\.label))"])

        while true {
            let commands = lock.withLock { () -> Mailbox in
                let taken = mailbox
                mailbox = Mailbox(stop: taken.stop)
                return taken
            }
            if commands.stop { send(); break }
            if let new = commands.reload {
                if new.source != settings.source || new.audio != settings.audio {
                    do {
                        let replacement = try makeSource(new.source, audio: settings.audio)
                        source.close()
                        source = replacement
                        lock.withLock {
                            current.source = new.source.summary; current.programme = nil
                        }
                        logger.info("source changed", metadata: ["source": "\(new.source.summary)"])
                    } catch {
                        logger.error("cannot switch to the new source; keeping the old one", metadata: ["error": "\(error)"])
                    }
                    if new.audio != settings.audio {
                        logger.warning("a new audio format needs a restart of onaird; keeping the old one")
                    }
                } else {
                    source.reload()
                }
                if new.outputs != settings.outputs || new.icecast != settings.icecast {
                    sinks.forEach { $0.close() }
                    sinks = makeSinks(
                        EngineSettings(
                            audio: settings.audio, source: new.source, outputs: new.outputs,
                            icecast: new.icecast))
                    Self.share(sinks, with: new.recording, audio: settings.audio)
                    if let onAir { sinks.forEach { $0.setTitle(onAir, now: Pacer.now()) } }
                    logger.info("outputs changed", metadata: ["outputs": "\(sinks.map(\.label))"])
                }
                if new.recording != settings.recording {
                    recorder?.stop()
                    recorder = makeRecorder(new, sinks: sinks)
                }
                settings = EngineSettings(
                    audio: settings.audio, source: new.source, outputs: new.outputs, icecast: new.icecast,
                    recording: new.recording, live: settings.live)
            }
            if commands.skip { source.skip() }
            if let reason = commands.endLive { live?.end(reason: reason) }
            if let text = commands.title {
                send()
                let track = TrackInfo(title: TrackTitle.parse(text), duration: nil)
                // The caller already published it (`onair now` answers after nowplaying.json is
                // written); reporting it again would put it in the history as a second play.
                announce(track, sinks: sinks, report: false)
                recorder?.mark(track.title)
                onAir = track.title
                catchUp = catchUpFrames
            }

            var samples: [Float] = []
            // A sound card's clock paces the loop: it is read (and ignored) even while a DJ is on.
            if source.isDeviceClocked || live?.needsProgramme ?? true {
                let chunk = source.nextChunk()
                if let track = chunk.track {
                    programmeTrack = track
                    live?.programmeTitle = track.title
                    if !(live?.isOnAir ?? false) {
                        send()
                        announce(track, sinks: sinks)
                        recorder?.mark(track.title, show: track.show)
                        onAir = track.title
                        catchUp = catchUpFrames
                    }
                }
                do {
                    samples = try converter.convert(chunk.samples, from: chunk.format)
                } catch {
                    logger.error("cannot convert the audio format; dropping a block", metadata: ["error": "\(error)"])
                }
            }
            if let live {
                let mix = live.mix(samples)
                samples = mix.samples
                let switched = live.isOnAir != djOnAir
                if switched {  // the recording's airing was live, and who hosted it
                    djOnAir = live.isOnAir
                    send()
                    recorder?.live(onAir: djOnAir, dj: live.streamer)
                }
                var titles = mix.titles.map { TrackInfo(title: $0, duration: nil) }
                if mix.handBack, let programmeTrack { titles.append(programmeTrack) }
                for track in titles {
                    send()
                    // At a switch the live event carries the title (one nowplaying.json change).
                    announce(track, sinks: sinks, report: !switched)
                    recorder?.mark(track.title)
                    onAir = track.title
                    // No unpaced catch-up on the DJ's audio: it would empty the jitter buffer.
                    catchUp = live.isOnAir ? 0 : catchUpFrames
                }
            }
            pending.append(contentsOf: samples)
            if source.isDeviceClocked {
                send()
            } else if pending.count >= batchFrames * channels {
                let frames = pending.count / channels
                send()
                catchUp -= frames
                if catchUp > 0, pacer.dueAt < Pacer.now() + 2_000_000_000 { continue }  // never over 2 s ahead
                catchUp = 0
                let pause = min(pacer.wait(at: Pacer.now()), 1_000_000_000)
                if pause > 0, wake.wait(timeout: .now() + .nanoseconds(Int(pause))) == .success {
                    // Woken by a command: take every other pending wake-up too, so that a burst of
                    // commands cannot turn into as many unpaced batches (the stream running ahead).
                    while wake.wait(timeout: .now()) == .success {}
                }
            }
        }

        sinks.forEach { $0.close() }
        recorder?.stop(timeout: 3)  // within the daemon's 5 s; a part left unfinished is recovered on start
        source.close()
        logger.info("audio engine stopped")
    }

    private func announce(_ track: TrackInfo, sinks: [IcecastSink], report: Bool = true) {
        let title = track.title
        lock.withLock { current.title = title.text }
        let now = Pacer.now()
        for sink in sinks { sink.setTitle(title, now: now) }
        logger.debug("title changed", metadata: ["title": "\(title.text)"])
        guard report else { return }
        onEvent(.titleChanged(text: title.text, artist: title.artist, title: title.title, duration: track.duration))
    }

    private func makeSinks(_ settings: EngineSettings) -> [IcecastSink] {
        settings.outputs.map { output in
            IcecastSink(
                output: output, icecast: settings.icecast, station: settings.audio, logger: logger,
                emit: onEvent,
                connectionChanged: { [weak self] mount, connected in
                    self?.connectionChanged(mount: mount, connected: connected)
                })
        }
    }

    /// The recorder of `record:` (its own thread), started; nil when nothing is recorded. It takes
    /// the packets of the first output it can share (same codec and bitrate) instead of encoding
    /// again; that output's encoder keeps them from its next connection on.
    private func makeRecorder(_ settings: EngineSettings, sinks: [IcecastSink]) -> Recorder? {
        let shared = Self.share(sinks, with: settings.recording, audio: settings.audio)
        guard let recording = settings.recording else { return nil }
        let recorder = Recorder(
            settings: recording, audio: settings.audio, logger: logger, emit: onEvent, sharedFrom: shared?.output.mount)
        recorder.start()
        return recorder
    }

    /// Marks the output whose packets the recording takes, if one can be shared; returns it.
    @discardableResult
    private static func share(_ sinks: [IcecastSink], with recording: RecordingSettings?, audio: AudioFormat) -> IcecastSink? {
        let shared = recording.flatMap { recording in sinks.first { recording.canShare($0.output) && $0.format == audio } }
        for sink in sinks { sink.sharesPackets = sink === shared }
        return shared
    }

    private func connectionChanged(mount: String, connected: Bool) {
        lock.withLock {
            current.connectedMounts.removeAll { $0 == mount }
            if connected { current.connectedMounts.append(mount) }
        }
    }

    private func makeSource(_ source: SourceSettings, audio: AudioFormat) throws -> AudioSource {
        switch source {
        case .tone(let frequency, let titleEvery):
            return ToneSource(frequency: frequency, titleEvery: titleEvery, format: audio)
        case .playlist(let path, let shuffle):
            return PlaylistSource(path: path, shuffle: shuffle, format: audio, logger: logger, emit: onEvent)
        case .alsa(let device):
            do {
                return try ALSASource(device: device, format: audio, logger: logger)
            } catch let error as ALSAError {
                throw StreamEngineError(error.sentence)
            }
        case .schedule(let schedule):
            let programme = ScheduleSource(settings: schedule, format: audio, logger: logger, emit: onEvent) { [weak self] programme in
                self?.lock.withLock { self?.current.programme = programme }
            }
            return TrackJoiner(
                inner: programme, format: audio, crossfade: schedule.crossfade,
                thresholdDBFS: schedule.silenceThreshold, logger: logger)
        }
    }
}
