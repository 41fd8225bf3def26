import Foundation
import Logging
import StationKit

#if canImport(Glibc)
    import Glibc
#endif

/// `onaird`: runs the stream engine, the Icecast status poller, the now-playing writer and the
/// control socket until SIGTERM/SIGINT; SIGHUP reloads. Talks to systemd through `$NOTIFY_SOCKET`.
public final class Daemon: Sendable {
    /// Why the daemon could not start (it exits 1 with this line).
    public struct StartFailure: Error, CustomStringConvertible {
        public var description: String
    }

    enum Input: Sendable {
        case engine(EngineEvent)
        case poll(IcecastStatusPoller.Outcome)
        case tick
        case watchdog
        case signal(Int32)
    }

    struct Shared {
        var config: DaemonConfig
        var state: NowPlayingState
        var shows: ShowLookup
        var writer: NowPlayingWriter
        var lastStatusLine = ""
        var lastPoll: IcecastStatusPoller.Outcome?
        var lastSchedulingProblem: String?
        var hooks: HookRunner
        var playout: PlayoutLogger?
        /// The show of the item on air (schedule source), for the title hook.
        var itemShow: String?
        /// The DJ account onair-api last let onto the DJ mount (`dj` command); it names the live
        /// DJ until they leave.
        var djAccount: String?
        /// DJs an admin took off the air, by lowercased account (or name on air): until when onaird
        /// refuses them (`dj`).
        var heldAccounts: [String: (name: String, until: Date)] = [:]
    }

    let configPath: String
    let environment: [String: String]
    let logger: Logger
    let notifier: SystemdNotifier
    let startedAt = Date()
    let makeEngine: AudioEngineFactory
    let shared: Locked<Shared>

    /// `environment` supplies `ONAIR_SOURCE_PASSWORD` (for reloads) and systemd's variables.
    public convenience init(configPath: String, config: DaemonConfig, environment: [String: String], logger: Logger) {
        self.init(configPath: configPath, config: config, environment: environment, logger: logger) {
            StreamEngine(settings: $0, logger: $1, onEvent: $2)
        }
    }

    /// `makeEngine` is the real `StreamEngine` except in tests.
    init(
        configPath: String, config: DaemonConfig, environment: [String: String], logger: Logger,
        makeEngine: @escaping AudioEngineFactory
    ) {
        self.configPath = configPath
        self.makeEngine = makeEngine
        self.environment = environment
        self.logger = logger
        self.notifier = SystemdNotifier(environment: environment)
        self.shared = Locked(
            Shared(
                config: config, state: NowPlayingState(settings: .init(config)),
                shows: ShowLookup(file: config.site.appendingPathComponent(SiteFiles.schedule)),
                writer: NowPlayingWriter(site: config.site, logger: logger),
                hooks: HookRunner(hooks: config.programme.hooks, logger: logger),
                playout: config.programme.playoutLog.map { PlayoutLogger(path: $0, logger: logger) }))
    }

    var config: DaemonConfig { shared.withLock { $0.config } }

    /// Runs until SIGTERM or SIGINT, then stops cleanly: engine stopped, offline document written,
    /// socket removed. Throws only when it cannot start.
    public func run() async throws(StartFailure) {
        let (inputs, continuation) = AsyncStream.makeStream(of: Input.self)
        let signals = Self.installSignalHandlers { continuation.yield(.signal($0)) }
        defer { signals.forEach { $0.cancel() } }

        let config = self.config
        let engine = makeEngine(config.engineSettings, logger) { continuation.yield(.engine($0)) }
        let control = ControlServer(path: config.controlSocket, logger: logger) { [self] request in
            handle(request, engine: engine)
        }
        do {
            try control.start()
        } catch {
            throw StartFailure(description: error.description)
        }
        do {
            try engine.start()
        } catch {
            control.stop()
            throw StartFailure(description: "\(error)")
        }
        logger.info(
            "onaird started",
            metadata: [
                "source": "\(config.sourceSummary)", "icecast.url": "\(config.icecast.url)",
                "icecast.mounts": "\(config.outputs.map(\.mount).joined(separator: " "))",
                "nowplaying.file": "\(config.site.appendingPathComponent(SiteFiles.nowPlaying).path)",
                "control.socket": "\(config.controlSocket)",
            ])
        publish(at: Date())
        notifier.notify("READY=1\nSTATUS=\(shared.withLock { $0.state.statusLine })")

        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.pollLoop(continuation) }
            group.addTask { await self.tickLoop(continuation) }
            if let interval = notifier.watchdogInterval {
                group.addTask { await Self.watchdogLoop(every: interval, continuation) }
            }
            loop: for await input in inputs {
                switch input {
                case .engine(let event): handle(event)
                case .poll(let outcome): handle(outcome)
                case .tick: publish(at: Date())
                case .watchdog: notifier.notify("WATCHDOG=1")  // sent from the loop: proves it is responsive
                case .signal(SIGHUP): reload(engine: engine)
                case .signal(let number):
                    logger.info("stopping", metadata: ["signal": "\(Self.signalName(number))"])
                    break loop
                }
            }
            group.cancelAll()
        }

        notifier.notify("STOPPING=1")
        engine.stop()
        control.stop()
        shared.withLock { $0.state.stop(at: Date()) }
        publish(at: Date())
        continuation.finish()
        logger.info("onaird stopped; nowplaying.json says offline")
    }

    // MARK: Inputs

    /// The engine logs its own events; here they only update the state.
    func handle(_ event: EngineEvent) {
        let now = Date()
        switch event {
        case .titleChanged(let text, let artist, let title, let duration):
            newTitle(text: text, artist: artist, title: title, duration: duration, at: now)
        case .outputConnected(let mount):
            shared.withLock { $0.state.outputConnected(mount) }
        case .outputDisconnected(let mount, _):
            shared.withLock { $0.state.outputDisconnected(mount) }
        case .trackSkipped:
            return
        case .itemStarted(let id, let entry):
            shared.withLock { shared in
                shared.itemShow = entry.show
                shared.playout?.itemStarted(id: id, entry: entry, listeners: shared.state.listeners)
            }
            return
        case .itemEnded(let id, let seconds):
            shared.withLock { $0.playout?.itemEnded(id: id, seconds: seconds) }
            return
        case .alarm(let reason, let detail):
            shared.withLock { $0.hooks }.fire(.alarm(reason: reason, detail: detail), at: now)
            return
        case .liveStarted(let streamName, let title):
            let (hooks, streamer) = shared.withLock { shared in
                let streamer = shared.djAccount ?? streamName
                shared.state.djStarted(streamer: streamer, at: now)
                return (shared.hooks, streamer)
            }
            hooks.fire(.live(isLive: true, streamer: streamer), at: now)
            if let title { newTitle(text: title.text, artist: title.artist, title: title.title, duration: nil, at: now) }  // one document
        case .liveEnded(let reason, let title):
            let hooks = shared.withLock { shared in
                shared.state.djEnded(reason: reason, at: now)
                if reason.hasPrefix("the DJ left") || reason.hasPrefix("the DJ's connection") { shared.djAccount = nil }
                return shared.hooks
            }
            hooks.fire(.live(isLive: false, streamer: nil), at: now)
            if let title { newTitle(text: title.text, artist: title.artist, title: title.title, duration: nil, at: now) }
        }
        publish(at: now)
    }

    /// A title on air: into the state (published by the caller) and to the title hook.
    private func newTitle(text: String, artist: String?, title: String?, duration: Double?, at now: Date) {
        let (hooks, show) = shared.withLock { shared in
            shared.state.titleChanged(text: text, artist: artist, title: title, duration: duration, at: now)
            return (shared.hooks, shared.itemShow)
        }
        hooks.fire(.title(text: text, artist: artist, title: title, show: show), at: now)
    }

    func handle(_ outcome: IcecastStatusPoller.Outcome) {
        let now = Date()
        let (previous, url, wasLive) = shared.withLock { shared in
            defer { shared.lastPoll = outcome }
            return (shared.lastPoll, shared.config.icecast.url, shared.state.live)
        }
        switch (previous, outcome) {
        case (.unreachable, .unreachable), (.malformed, .malformed), (.stats, .stats): break
        case (_, .unreachable(let reason)):
            logger.warning(
                "Icecast does not answer; nowplaying.json says offline until it does",
                metadata: ["icecast.url": "\(url)", "icecast.error": "\(reason)"])
            shared.withLock { $0.hooks }.fire(.alarm(reason: .icecastDown, detail: "Icecast at \(url) does not answer: \(reason)"), at: now)
        case (_, .malformed(let reason)):
            logger.warning(
                "Icecast's status could not be read; keeping the last known state",
                metadata: ["icecast.url": "\(url)", "icecast.error": "\(reason)"])
        case (.some, .stats):
            logger.notice("Icecast answers again", metadata: ["icecast.url": "\(url)"])
        case (nil, .stats): break
        }
        let (live, changed) = shared.withLock { shared in
            let before = shared.state
            shared.state.apply(outcome, at: now)
            return (shared.state.live, shared.state != before)
        }
        if live.isLive != wasLive.isLive || live.streamer != wasLive.streamer {
            shared.withLock { $0.hooks }.fire(.live(isLive: live.isLive, streamer: live.streamer), at: now)
            if live.isLive {
                logger.notice("live source on air", metadata: ["live.streamer": "\(live.streamer ?? "unnamed")"])
            } else {
                logger.notice("live source gone; back to onaird's own stream")
            }
        }
        if changed { publish(at: now) }
    }

    func reload(engine: any AudioEngine) {
        let newConfig: DaemonConfig
        do {
            newConfig = try DaemonConfig.load(path: configPath, environment: environment)
        } catch {
            logger.error("config not reloaded; keeping the running one", metadata: ["config.error": "\(error)"])
            return
        }
        let old = config
        if newConfig.controlSocket != old.controlSocket || newConfig.outputs != old.outputs
            || newConfig.icecast != old.icecast || newConfig.audio != old.audio || newConfig.live != old.live
        {
            logger.warning("control_socket, icecast, outputs, audio and live changes take effect at the next restart")
        }
        shared.withLock { shared in
            var kept = old
            kept.site = newConfig.site; kept.interval = newConfig.interval; kept.source = newConfig.source
            kept.stationName = newConfig.stationName; kept.publicStreamURL = newConfig.publicStreamURL
            shared.config = kept
            shared.state.update(settings: .init(kept), at: Date())
            shared.shows = ShowLookup(file: kept.site.appendingPathComponent(SiteFiles.schedule))
            if newConfig.programme != old.programme {
                kept.programme = newConfig.programme
                shared.config = kept
                shared.hooks = HookRunner(hooks: kept.programme.hooks, logger: logger)
                shared.playout = kept.programme.playoutLog.map { PlayoutLogger(path: $0, logger: logger) }
            }
            shared.writer.site = kept.site
        }
        engine.reload(settings: config.engineSettings)
        logger.info("reloaded", metadata: ["source": "\(config.sourceSummary)"])
        publish(at: Date())
    }

    // MARK: Control socket (runs on the control thread)

    func handle(_ request: ControlRequest, engine: any AudioEngine) -> ControlResponse {
        switch request.command {
        case .now:
            guard TrackTitle.clean(request.text) != nil else { return .failure("give the title: onair now \"Artist - Title\"") }
            if let problem = TrackTitle.problem(with: request.text ?? "") { return .failure(problem) }
            let title = TrackTitle.parse(request.text ?? "")
            let text = title.text
            engine.setTitle(text)
            // nowplaying.json follows at once, not one audio block later when the engine reports it.
            let now = Date()
            shared.withLock { $0.state.titleChanged(text: title.text, artist: title.artist, title: title.title, duration: nil, at: now) }
            publish(at: now)
            return .success("title set to '\(text)'")
        case .skip:
            let config = self.config
            guard config.source.kind == .playlist || config.source.kind == .schedule else {
                return .failure("nothing to skip: the source is \(config.sourceSummary) (skip works with a playlist or a schedule)")
            }
            engine.skip()
            return .success("skipped to the next track")
        case .dj: return allowDJ(request.text)
        case .endLive: return endLive(by: request.text, engine: engine)
        case .status:
            var status = shared.withLock { shared in
                shared.state.controlStatus(source: shared.config.sourceSummary, startedAt: startedAt, at: Date())
            }
            status.programme = engine.status.programme.map(ControlStatus.Programme.init)
            if let holds = holdNote(at: Date()) { status.liveInput = [status.liveInput, holds].compactMap { $0 }.joined(separator: "; ") }
            return ControlResponse(ok: true, status: status)
        }
    }

    // MARK: Loops

    /// Polls Icecast every `interval` (a slow answer delays the next poll, never the document).
    private func pollLoop(_ continuation: AsyncStream<Input>.Continuation) async {
        let clock = ContinuousClock()
        var poller: IcecastStatusPoller?
        while !Task.isCancelled {
            let (url, interval) = shared.withLock { ($0.config.icecast.url, $0.config.interval) }
            if poller?.server != url { poller = IcecastStatusPoller(server: url) }
            let next = clock.now + .seconds(interval)
            if let poller { continuation.yield(.poll(await poller.poll())) }
            try? await Task.sleep(until: next, clock: clock)
        }
    }

    /// Rewrites nowplaying.json at least every `interval`, whatever Icecast does.
    private func tickLoop(_ continuation: AsyncStream<Input>.Continuation) async {
        while !Task.isCancelled {
            let interval = shared.withLock { $0.config.interval }
            try? await Task.sleep(for: .seconds(interval))
            continuation.yield(.tick)
        }
    }

    private static func watchdogLoop(every interval: Duration, _ continuation: AsyncStream<Input>.Continuation) async {
        while !Task.isCancelled {
            continuation.yield(.watchdog)
            try? await Task.sleep(for: interval)
        }
    }

    /// Writes nowplaying.json and tells systemd the status line when it changed.
    private func publish(at date: Date) {
        let (statusLine, changed, problem) = shared.withLock { shared -> (String, Bool, String?) in
            let shows = shared.shows.shows(at: date)
            let document = shared.state.document(at: date, shows: shows)
            shared.writer.write(document)
            let line = shared.state.statusLine
            defer { shared.lastStatusLine = line }
            var problem: String?
            if shared.shows.problem != shared.lastSchedulingProblem {
                problem = shared.shows.problem
                shared.lastSchedulingProblem = shared.shows.problem
            }
            return (line, line != shared.lastStatusLine, problem)
        }
        if let problem { logger.warning("\(problem)") }
        if changed { notifier.notify("STATUS=\(statusLine)") }
    }

    // MARK: Signals

    private static func installSignalHandlers(_ deliver: @escaping @Sendable (Int32) -> Void) -> [any DispatchSourceSignal] {
        signal(SIGPIPE, SIG_IGN)
        return [SIGTERM, SIGINT, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { deliver(number) }
            source.resume()
            return source
        }
    }

    static func signalName(_ number: Int32) -> String {
        switch number {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        case SIGHUP: "SIGHUP"
        default: "signal \(number)"
        }
    }
}
