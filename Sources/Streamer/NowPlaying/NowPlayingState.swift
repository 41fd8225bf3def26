import Foundation
import StationKit

/// The daemon's picture of the station: titles, history, what Icecast says. A value: the daemon
/// feeds it engine events and poll outcomes and asks it for the document and the status.
struct NowPlayingState: Sendable, Equatable {
    static let historyLimit = 10

    /// What the state needs from the config.
    struct Settings: Sendable, Equatable {
        struct Output: Sendable, Equatable {
            var mount: String
            var url: String
            var format: String
            var bitrate: Int?
            init(mount: String, url: String, format: String, bitrate: Int?) {
                self.mount = mount; self.url = url; self.format = format; self.bitrate = bitrate
            }
        }
        var stationName: String
        var listenURL: String
        var listenerMount: String
        var outputs: [Output]
        /// onaird's own source is live (ALSA capture) rather than a playlist or tone.
        var ownSourceIsLive: Bool
        var interval: Int

        init(
            stationName: String, listenURL: String, listenerMount: String, outputs: [Output],
            ownSourceIsLive: Bool, interval: Int
        ) {
            self.stationName = stationName; self.listenURL = listenURL; self.listenerMount = listenerMount
            self.outputs = outputs; self.ownSourceIsLive = ownSourceIsLive; self.interval = interval
        }

        init(_ config: DaemonConfig) {
            self.init(
                stationName: config.stationName, listenURL: config.publicStreamURL,
                listenerMount: config.icecast.listenerMount,
                outputs: config.outputs.map {
                    Output(
                        mount: $0.mount, url: config.publicURL(of: $0.mount),
                        format: $0.format.rawValue, bitrate: $0.bitrate)
                },
                ownSourceIsLive: config.source.kind == .alsa, interval: config.interval)
        }

        var ownMounts: [String] { outputs.map(\.mount) }
        /// Mounts whose listeners count, each once.
        var countedMounts: [String] { ownMounts.contains(listenerMount) ? ownMounts : ownMounts + [listenerMount] }
    }

    var settings: Settings
    /// onaird's own title (engine events, `onair now`).
    private(set) var ownTrack: NowPlayingDocument.Track?
    /// An external live source's title (a DJ's BUTT on the listener mount).
    private(set) var externalTrack: NowPlayingDocument.Track?
    /// What listeners hear now.
    private(set) var current: NowPlayingDocument.Track?
    /// Earlier titles, newest first.
    private(set) var history: [NowPlayingDocument.Played] = []
    private(set) var online = false
    private(set) var live = NowPlayingDocument.Live()
    private(set) var listeners = 0
    private(set) var peak = 0
    private(set) var stats: IcecastStats?
    private(set) var connectedMounts: [String] = []
    /// The last poll found Icecast unreachable.
    private(set) var icecastUnreachable = false
    /// False once the daemon stops: the document then says offline.
    private(set) var running = true
    /// When onaird's own live source went on air (ALSA).
    private var ownLiveSince: Date?
    /// A DJ on the live mount that onaird puts on every output: their stream name, since when.
    private(set) var dj: NowPlayingDocument.Live?
    /// For `onair status`: who is on the live mount, or why the programme came back.
    private(set) var liveNote: String?

    init(settings: Settings) { self.settings = settings }

    // MARK: Inputs

    mutating func titleChanged(text: String, artist: String?, title: String?, duration: Double?, at date: Date) {
        if artist == nil && title == nil {
            ownTrack = .parse(text, startedAt: date, duration: duration)
        } else {
            ownTrack = NowPlayingDocument.Track(artist: artist, title: title, text: text, startedAt: date, duration: duration)
        }
        recompute(at: date)
    }

    /// The engine put a DJ on air (`streamer` non-nil or not) or handed back (`reason`).
    mutating func djStarted(streamer: String?, at date: Date) {
        dj = NowPlayingDocument.Live(isLive: true, streamer: streamer, since: date)
        liveNote = "DJ \(streamer.map { "'\($0)'" } ?? "(unnamed)") on air since \(ISO8601.string(date))"
        recompute(at: date)
    }

    mutating func djEnded(reason: String, at date: Date) {
        dj = nil
        liveNote = "back to the programme at \(ISO8601.string(date)): \(reason)"
        recompute(at: date)
    }

    mutating func outputConnected(_ mount: String) {
        if !connectedMounts.contains(mount) { connectedMounts.append(mount) }
    }

    mutating func outputDisconnected(_ mount: String) {
        connectedMounts.removeAll { $0 == mount }
    }

    mutating func apply(_ outcome: IcecastStatusPoller.Outcome, at date: Date) {
        switch outcome {
        case .stats(let stats):
            self.stats = stats
            icecastUnreachable = false
        case .unreachable:
            self.stats = nil
            icecastUnreachable = true
        case .malformed:
            return  // unknown: keep what we knew, retry at the next poll
        }
        recompute(at: date)
    }

    /// The daemon is stopping: the last document says offline.
    mutating func stop(at date: Date) {
        running = false
        recompute(at: date)
    }

    mutating func update(settings: Settings, at date: Date) {
        self.settings = settings
        recompute(at: date)
    }

    // MARK: Derivation

    private mutating func recompute(at date: Date) {
        let listenerSource = stats?.source(on: settings.listenerMount)
        let own = settings.ownMounts
        let external = listenerSource != nil && !own.contains(settings.listenerMount) ? listenerSource : nil
        // A listener on the listener mount hears something: a source on it, or (when onaird feeds its
        // fallback) a source on one of onaird's mounts.
        online =
            running && stats != nil
            && (listenerSource != nil || own.contains { stats?.source(on: $0) != nil })

        if let stats {
            listeners = settings.countedMounts.reduce(0) { $0 + (stats[$1]?.listeners ?? 0) }
        } else {
            listeners = 0
        }
        peak = max(peak, listeners)

        if online, let dj {
            externalTrack = nil
            ownLiveSince = nil
            live = dj
        } else if online, let external {
            // Icecast's status carries the DJ's own words: cleaned like every title.
            let title =
                external.artist != nil && external.title != nil
                ? TrackTitle(artist: external.artist, title: external.title)
                : TrackTitle.parse(external.songText ?? external.serverName ?? "Live")
            if externalTrack?.text != title.text {
                externalTrack = NowPlayingDocument.Track(title, startedAt: date)
            }
            let since = live.isLive && live.streamer == external.serverName ? live.since : (external.streamStart ?? date)
            live = NowPlayingDocument.Live(isLive: true, streamer: external.serverName, since: since)
            ownLiveSince = nil
        } else if online, settings.ownSourceIsLive {
            externalTrack = nil
            if ownLiveSince == nil { ownLiveSince = date }
            live = NowPlayingDocument.Live(isLive: true, streamer: settings.stationName, since: ownLiveSince)
        } else {
            externalTrack = nil
            ownLiveSince = nil
            live = NowPlayingDocument.Live()
        }

        let heard = externalTrack ?? ownTrack
        if heard != current {
            if let previous = current {
                history.insert(
                    NowPlayingDocument.Played(
                        artist: previous.artist, title: previous.title, text: previous.text,
                        playedAt: previous.startedAt ?? date), at: 0)
                if history.count > Self.historyLimit { history.removeLast(history.count - Self.historyLimit) }
            }
            current = heard
        }
    }

    // MARK: Outputs

    func document(at date: Date, shows: ShowLookup.Shows) -> NowPlayingDocument {
        let mounts = settings.outputs.map { output in
            NowPlayingDocument.Mount(
                url: output.url, format: output.format,
                bitrate: output.bitrate ?? stats?[output.mount]?.bitrate,
                listeners: stats?[output.mount]?.listeners ?? 0)
        }
        return NowPlayingDocument(
            updatedAt: date, interval: settings.interval,
            station: .init(name: settings.stationName, listenURL: settings.listenURL, mounts: mounts),
            online: online, live: live, listeners: .init(current: listeners, peak: peak),
            nowPlaying: current, show: shows.show, nextShow: shows.next, history: history)
    }

    /// For systemd's `STATUS=`: `streaming to /radio.ogg, 3 listeners`.
    var statusLine: String {
        let mounts = settings.ownMounts.joined(separator: ", ")
        guard running else { return "stopping" }
        if connectedMounts.isEmpty { return "connecting to \(mounts)" + (icecastUnreachable ? " (Icecast unreachable)" : "") }
        let listenerWord = listeners == 1 ? "listener" : "listeners"
        var line = "streaming to \(connectedMounts.joined(separator: ", ")), \(listeners) \(listenerWord)"
        if live.isLive, let streamer = live.streamer, !settings.ownSourceIsLive || dj != nil { line += ", live: \(streamer)" }
        return line
    }

    /// What `onair status` shows.
    func controlStatus(source: String, startedAt: Date, at date: Date) -> ControlStatus {
        var status = ControlStatus(
            source: source, title: current?.text, connectedMounts: connectedMounts,
            mounts: settings.ownMounts, listeners: listeners, online: online, live: live.isLive,
            liveStreamer: live.streamer, startedAt: startedAt,
            uptime: max(0, Int(date.timeIntervalSince(startedAt))))
        status.liveInput = liveNote
        return status
    }
}
