/// `Content/station.yaml`: the station's public profile. Nothing secret lives here; everything in it
/// may end up in the published site.
public struct StationProfile: Sendable, Hashable {
    /// One public stream, e.g. `{ mount: /radio.ogg, format: vorbis, bitrate: 128, label: "Ogg Vorbis 128k" }`.
    public struct Stream: Sendable, Hashable {
        public var mount: String
        public var format: String
        public var bitrate: Int?
        public var label: String

        public init(mount: String, format: String, bitrate: Int?, label: String) {
            self.mount = mount; self.format = format; self.bitrate = bitrate; self.label = label
        }

        /// The MIME type browsers and players expect for the format.
        public var mime: String {
            switch format.lowercased() {
            case "mp3", "mpeg": "audio/mpeg"
            case "aac": "audio/aac"
            case "opus": "audio/ogg; codecs=opus"
            default: "audio/ogg"
            }
        }

        /// Same-origin path the player uses: nginx proxies `/stream/` to Icecast.
        public var sameOriginPath: String { "/stream" + mount }
    }

    public var name: String
    public var tagline: String
    public var description: String
    /// Absolute, without a trailing slash: `https://radio.example`.
    public var baseURL: String
    public var language: String
    /// IANA zone name, e.g. `Europe/Berlin`.
    public var timezone: String
    public var streams: [Stream]
    /// Network name (`mastodon`, `x`, `instagram`, ...) to profile URL, sorted by name when shown.
    public var social: [String: String]
    /// Path under `Content/`, e.g. `images/logo.svg`.
    public var artwork: String?
    public var icecastPublicURL: String?
    /// How many of the latest posts `feed.xml` carries (`feed_items:`, default 50).
    public var feedItems: Int = 50
    /// `recordings:` — onaird's recordings folder (`record.dir`), as written (relative to
    /// station.yaml's folder); `onair build --recordings` overrides it. Nil: no "Listen again".
    public var recordings: String?

    public init(
        name: String, tagline: String, description: String, baseURL: String, language: String,
        timezone: String, streams: [Stream], social: [String: String] = [:], artwork: String? = nil,
        icecastPublicURL: String? = nil
    ) {
        self.name = name; self.tagline = tagline; self.description = description; self.baseURL = baseURL
        self.language = language; self.timezone = timezone; self.streams = streams; self.social = social
        self.artwork = artwork; self.icecastPublicURL = icecastPublicURL
    }

    /// `base_url` plus a site path (`/shows/x/`).
    public func absoluteURL(_ path: String) -> String { baseURL + path }
}
