import Foundation

/// `site/nowplaying.json`: the daemon's contract with the browser (DESIGN.md, "Now-playing document").
/// Every string in it comes from tags, DJs or the network and is untrusted; the page inserts it with
/// `textContent`. Optional fields are written as explicit `null`s, never left out.
public struct NowPlayingDocument: Codable, Sendable, Equatable {
    public static let schemaVersion = 1

    public struct Mount: Codable, Sendable, Equatable {
        public var url: String
        public var format: String
        public var bitrate: Int?
        public var listeners: Int
        public init(url: String, format: String, bitrate: Int?, listeners: Int) {
            self.url = url; self.format = format; self.bitrate = bitrate; self.listeners = listeners
        }
        enum CodingKeys: String, CodingKey { case url, format, bitrate, listeners }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(url, forKey: .url); try c.encode(format, forKey: .format)
            try c.encode(bitrate, forKey: .bitrate); try c.encode(listeners, forKey: .listeners)
        }
    }

    public struct Station: Codable, Sendable, Equatable {
        public var name: String
        public var listenURL: String
        public var mounts: [Mount]
        public init(name: String, listenURL: String, mounts: [Mount]) {
            self.name = name; self.listenURL = listenURL; self.mounts = mounts
        }
        enum CodingKeys: String, CodingKey { case name, listenURL = "listen_url", mounts }
    }

    public struct Live: Codable, Sendable, Equatable {
        public var isLive: Bool
        public var streamer: String?
        public var since: Date?
        public init(isLive: Bool = false, streamer: String? = nil, since: Date? = nil) {
            self.isLive = isLive; self.streamer = streamer; self.since = since
        }
        enum CodingKeys: String, CodingKey { case isLive = "is_live", streamer, since }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(isLive, forKey: .isLive); try c.encode(streamer, forKey: .streamer)
            try c.encode(since, forKey: .since)
        }
    }

    public struct Listeners: Codable, Sendable, Equatable {
        public var current: Int
        public var peak: Int
        public init(current: Int = 0, peak: Int = 0) { self.current = current; self.peak = peak }
    }

    public struct Track: Codable, Sendable, Equatable {
        public var artist: String?
        public var title: String?
        public var text: String
        public var startedAt: Date?
        public var duration: Double?
        public init(artist: String?, title: String?, text: String, startedAt: Date?, duration: Double? = nil) {
            self.artist = artist; self.title = title; self.text = text
            self.startedAt = startedAt; self.duration = duration
        }
        enum CodingKeys: String, CodingKey { case artist, title, text, startedAt = "started_at", duration }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(artist, forKey: .artist); try c.encode(title, forKey: .title)
            try c.encode(text, forKey: .text); try c.encode(startedAt, forKey: .startedAt)
            try c.encode(duration, forKey: .duration)
        }
    }

    public struct ShowSlot: Codable, Sendable, Equatable {
        public var title: String
        public var host: String?
        public var url: String?
        public var startsAt: Date
        public var endsAt: Date
        public init(title: String, host: String?, url: String?, startsAt: Date, endsAt: Date) {
            self.title = title; self.host = host; self.url = url; self.startsAt = startsAt; self.endsAt = endsAt
        }
        enum CodingKeys: String, CodingKey { case title, host, url, startsAt = "starts_at", endsAt = "ends_at" }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(title, forKey: .title); try c.encode(host, forKey: .host)
            try c.encode(url, forKey: .url); try c.encode(startsAt, forKey: .startsAt)
            try c.encode(endsAt, forKey: .endsAt)
        }
    }

    public struct Played: Codable, Sendable, Equatable {
        public var artist: String?
        public var title: String?
        public var text: String
        public var playedAt: Date
        public init(artist: String?, title: String?, text: String, playedAt: Date) {
            self.artist = artist; self.title = title; self.text = text; self.playedAt = playedAt
        }
        enum CodingKeys: String, CodingKey { case artist, title, text, playedAt = "played_at" }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(artist, forKey: .artist); try c.encode(title, forKey: .title)
            try c.encode(text, forKey: .text); try c.encode(playedAt, forKey: .playedAt)
        }
    }

    public var schema: Int
    public var updatedAt: Date
    /// Seconds between refreshes; the page polls at this pace and calls a document older than
    /// 3 × interval "status unknown". (An addition to the DESIGN.md example; readers may ignore it.)
    public var interval: Int
    public var station: Station
    public var online: Bool
    public var live: Live
    public var listeners: Listeners
    public var nowPlaying: Track?
    public var show: ShowSlot?
    public var nextShow: ShowSlot?
    public var history: [Played]

    public init(
        updatedAt: Date, interval: Int, station: Station, online: Bool = false, live: Live = Live(),
        listeners: Listeners = Listeners(), nowPlaying: Track? = nil, show: ShowSlot? = nil,
        nextShow: ShowSlot? = nil, history: [Played] = []
    ) {
        self.schema = Self.schemaVersion
        self.updatedAt = updatedAt; self.interval = interval; self.station = station
        self.online = online; self.live = live; self.listeners = listeners; self.nowPlaying = nowPlaying
        self.show = show; self.nextShow = nextShow; self.history = history
    }

    enum CodingKeys: String, CodingKey {
        case schema, updatedAt = "updated_at", interval, station, online, live, listeners
        case nowPlaying = "now_playing", show, nextShow = "next_show", history
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema); try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(interval, forKey: .interval); try c.encode(station, forKey: .station)
        try c.encode(online, forKey: .online); try c.encode(live, forKey: .live)
        try c.encode(listeners, forKey: .listeners); try c.encode(nowPlaying, forKey: .nowPlaying)
        try c.encode(show, forKey: .show); try c.encode(nextShow, forKey: .nextShow)
        try c.encode(history, forKey: .history)
    }

    /// The JSON bytes as the daemon writes them (sorted keys, UTC dates, explicit nulls).
    public func encoded() throws -> Data { try JSONEncoder.onAir().encode(self) }

    public static func decode(_ data: Data) throws -> NowPlayingDocument {
        try JSONDecoder.onAir().decode(NowPlayingDocument.self, from: data)
    }
}

extension NowPlayingDocument.Track {
    /// "Artist - Title" as stations type it, parsed and cleaned by `TrackTitle`.
    public static func parse(_ text: String, startedAt: Date?, duration: Double? = nil) -> Self {
        Self(TrackTitle.parse(text), startedAt: startedAt, duration: duration)
    }

    public init(_ title: TrackTitle, startedAt: Date?, duration: Double? = nil) {
        self.init(artist: title.artist, title: title.title, text: title.text, startedAt: startedAt, duration: duration)
    }
}
