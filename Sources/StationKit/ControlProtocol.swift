import Foundation

/// The control socket's protocol between `onair now|status|skip` and `onaird`.
///
/// One request per connection: the client writes one JSON line, the daemon answers with one JSON
/// line and closes. `{"command":"now","text":"Artist - Title"}`, `{"command":"status"}`,
/// `{"command":"skip"}` -> `{"ok":true,...}` or `{"ok":false,"error":"..."}`.
public struct ControlRequest: Codable, Sendable, Equatable {
    public enum Command: String, Codable, Sendable {
        case now, status, skip
        /// onair-api let a DJ account onto the DJ mount (`text`: the account name): onaird names
        /// the live DJ by it rather than by the stream's name.
        case dj
        /// Takes the live DJ off the air (`text`: who asked): the programme fades back in, and that
        /// connection is not aired again (the DJ reconnects to come back).
        case endLive = "end_live"
    }

    public var command: Command
    /// The title for `now` ("Artist - Title"); the account name for `dj`; who asked, for `end_live`.
    public var text: String?

    public init(command: Command, text: String? = nil) { self.command = command; self.text = text }

    public static func now(_ text: String) -> Self { Self(command: .now, text: text) }
    public static let status = ControlRequest(command: .status)
    public static let skip = ControlRequest(command: .skip)
    public static func endLive(by who: String) -> Self { Self(command: .endLive, text: who) }
}

/// What `onair status` shows.
public struct ControlStatus: Codable, Sendable, Equatable {
    /// `tone`, `playlist` or `alsa`, with its detail, e.g. `playlist ./Content/music`.
    public var source: String
    /// The title listeners see now (a live DJ's title while live).
    public var title: String?
    /// Output mounts with an open Icecast connection.
    public var connectedMounts: [String]
    /// Every configured output mount.
    public var mounts: [String]
    public var listeners: Int
    public var online: Bool
    public var live: Bool
    public var liveStreamer: String?
    public var startedAt: Date
    /// Seconds since the daemon started.
    public var uptime: Int
    /// What the schedule source plays (absent for other sources).
    public var programme: Programme?
    /// The DJ mount: who is on air, or why the programme came back (absent until a DJ came).
    public var liveInput: String?

    /// The schedule source's view: the show on air, the folder playing, what comes next.
    public struct Programme: Codable, Sendable, Equatable {
        /// The show's slug by the schedule, nil between shows.
        public var show: String?
        public var showTitle: String?
        /// Relative to the music folder: the show's slug, `rotation`, or `tone` when nothing plays.
        public var folder: String
        /// A `live: true` show is on and no DJ is connected yet.
        public var waitingForDJ: Bool
        /// The next (up to) three files, relative to the music folder.
        public var next: [String]
        public var nextID: String?
        public var nextIDAt: Date?

        public init(
            show: String?, showTitle: String?, folder: String, waitingForDJ: Bool, next: [String],
            nextID: String?, nextIDAt: Date?
        ) {
            self.show = show; self.showTitle = showTitle; self.folder = folder; self.waitingForDJ = waitingForDJ
            self.next = next; self.nextID = nextID; self.nextIDAt = nextIDAt
        }

        enum CodingKeys: String, CodingKey {
            case show, showTitle = "show_title", folder, waitingForDJ = "waiting_for_dj", next
            case nextID = "next_id", nextIDAt = "next_id_at"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(show, forKey: .show); try c.encode(showTitle, forKey: .showTitle)
            try c.encode(folder, forKey: .folder); try c.encode(waitingForDJ, forKey: .waitingForDJ)
            try c.encode(next, forKey: .next); try c.encode(nextID, forKey: .nextID); try c.encode(nextIDAt, forKey: .nextIDAt)
        }
    }

    public init(
        source: String, title: String?, connectedMounts: [String], mounts: [String], listeners: Int,
        online: Bool, live: Bool, liveStreamer: String?, startedAt: Date, uptime: Int
    ) {
        self.source = source; self.title = title; self.connectedMounts = connectedMounts; self.mounts = mounts
        self.listeners = listeners; self.online = online; self.live = live; self.liveStreamer = liveStreamer
        self.startedAt = startedAt; self.uptime = uptime
    }

    enum CodingKeys: String, CodingKey {
        case source, title, connectedMounts = "connected_mounts", mounts, listeners, online, live
        case liveStreamer = "live_streamer", startedAt = "started_at", uptime, programme
        case liveInput = "live_input"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source); try c.encode(title, forKey: .title)
        try c.encode(connectedMounts, forKey: .connectedMounts); try c.encode(mounts, forKey: .mounts)
        try c.encode(listeners, forKey: .listeners); try c.encode(online, forKey: .online)
        try c.encode(live, forKey: .live); try c.encode(liveStreamer, forKey: .liveStreamer)
        try c.encode(startedAt, forKey: .startedAt); try c.encode(uptime, forKey: .uptime)
        try c.encodeIfPresent(programme, forKey: .programme)
        try c.encodeIfPresent(liveInput, forKey: .liveInput)
    }

    /// The human-readable lines `onair status` prints.
    public var lines: [String] {
        let connected = connectedMounts.isEmpty ? "none" : connectedMounts.joined(separator: ", ")
        let notConnected = mounts.filter { !connectedMounts.contains($0) }
        var state = online ? (live ? "on air, live" : "on air") : "offline"
        if live, let liveStreamer { state += " (\(liveStreamer))" }
        var programmeLines: [String] = []
        if let programme {
            let show = programme.show.map { "\(programme.showTitle ?? $0) (\($0))" } ?? "none (between shows)"
            programmeLines = [
                "show:       \(show)" + (programme.waitingForDJ ? ", waiting for its DJ" : ""),
                "folder:     \(programme.folder)",
                "next:       \(programme.next.isEmpty ? "(nothing planned)" : programme.next.joined(separator: ", "))",
                "next ID:    " + (programme.nextID.map { id in programme.nextIDAt.map { "\(id) after \(ISO8601.string($0))" } ?? id } ?? "(none)"),
            ]
        }
        return [
            "source:     \(source)",
            "title:      \(title ?? "(none)")",
            "connected:  \(connected)" + (notConnected.isEmpty ? "" : " (not connected: \(notConnected.joined(separator: ", ")))"),
            "listeners:  \(listeners)",
            "status:     \(state)",
            "uptime:     \(Self.duration(uptime))",
        ] + (liveInput.map { ["live input: \($0)"] } ?? []) + programmeLines
    }

    static func duration(_ seconds: Int) -> String {
        let d = seconds / 86_400, h = seconds % 86_400 / 3600, m = seconds % 3600 / 60, s = seconds % 60
        if d > 0 { return "\(d)d \(h)h \(m)m" }
        if h > 0 { return "\(h)h \(m)m \(s)s" }
        if m > 0 { return "\(m)m \(s)s" }
        return "\(s)s"
    }
}

/// The daemon's one-line answer.
public struct ControlResponse: Codable, Sendable, Equatable {
    public var ok: Bool
    public var error: String?
    /// A sentence for the operator, e.g. `title set to 'A - B'`.
    public var message: String?
    public var status: ControlStatus?

    public init(ok: Bool, error: String? = nil, message: String? = nil, status: ControlStatus? = nil) {
        self.ok = ok; self.error = error; self.message = message; self.status = status
    }

    public static func failure(_ error: String) -> Self { Self(ok: false, error: error) }
    public static func success(_ message: String) -> Self { Self(ok: true, message: message) }

    enum CodingKeys: String, CodingKey { case ok, error, message, status }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ok, forKey: .ok)
        try c.encodeIfPresent(error, forKey: .error)
        try c.encodeIfPresent(message, forKey: .message)
        try c.encodeIfPresent(status, forKey: .status)
    }
}

extension ControlRequest {
    /// The request as one line on the wire.
    public func line() throws -> Data { try ControlWire.line(self) }
}

/// JSON-line framing shared by the client and the daemon's server.
public enum ControlWire {
    /// Longest line either side accepts.
    public static let maxLine = 64 * 1024

    public static func line<T: Encodable>(_ value: T) throws -> Data {
        var data = try JSONEncoder.onAir().encode(value)
        data.append(0x0A)
        return data
    }

    public static func decode<T: Decodable>(_ type: T.Type, from line: Data) throws -> T {
        try JSONDecoder.onAir().decode(type, from: line)
    }
}
