/// What every template sees. Typed view structs: Mustache reads their stored properties by name,
/// so property names are the template variables (`{{station.name}}`, `{{asset_version}}`).
/// Page-specific fields are empty or nil on pages that have none.
struct PageContext: Sendable {
    var station: StationView
    /// Every public stream; the first is what the player plays.
    var streams: [StreamView]
    /// The stream everything plays (MP3 when there is one): the player's fallback link.
    var first_stream: StreamView?
    /// The player's `<source>` elements in order of preference: Opus, Vorbis, MP3, others.
    var sources: [StreamView]
    /// Share links for this page, built at build time.
    var share: [ShareLink]
    var share_url: String
    var share_text: String
    /// Content hash of `Templates/assets/`; assets are linked as `/assets/site.css?v={{asset_version}}`.
    var asset_version: String
    var page: PageMeta
    var nav: [NavItem]
    /// The rendered page template, for `layout.mustache` (`{{{content}}}`).
    var content: String = ""
    var year: String

    // Page-specific
    var days: [DayView] = []
    var specials: [SlotView] = []
    var has_specials: Bool = false
    /// The next airings from the build's "now", weekly slots and specials in order (the home page's
    /// "Coming up"; `schedule.js` drops the ones that have ended and keeps the first few).
    var coming_up: [SlotView] = []
    var has_coming_up: Bool = false
    /// The news archive's page links (`/news/`, `/news/page/2/`, ...).
    var pagination: PaginationView?
    var show: ShowView?
    var shows: [ShowView] = []
    var posts: [PostView] = []
    var latest_posts: [PostView] = []
    var has_latest_posts: Bool = false
    /// The home page's latest recorded airings ("Listen again").
    var latest_recordings: [RecordingView] = []
    var has_latest_recordings: Bool = false
    var post: PostView?
    var article: ArticleView?
    var timezone: String
    /// The fixed texts in the station's language (`Strings`): `{{t.coming_up}}`.
    var t: [String: String] = [:]
    /// The scripts' texts as JSON, for `<meta name="onair-strings" content="{{strings_json}}">`.
    var strings_json: String = "{}"
}

struct StationView: Sendable {
    var name: String
    var tagline: String
    var description: String
    var language: String
    var base_url: String
    /// Site path of the artwork (`/images/logo.svg`), if any.
    var logo: String?
    var logo_absolute: String?
    var timezone: String
    var social: [LinkView]
    var has_social: Bool
    var listen_m3u: String
    var listen_pls: String
    /// The station runs onair-api (`BuildOptions.api`): the chat panel is there and pages probe `/api/me`.
    var api: Bool = false
}

struct StreamView: Sendable {
    var mount: String
    /// Same-origin path for the page's player: `/stream/radio.ogg`.
    var url: String
    /// For players outside the browser: `https://radio.example/stream/radio.ogg`.
    var absolute_url: String
    var format: String
    var mime: String
    /// For `<source type>` and `canPlayType`: `audio/ogg; codecs=opus`, `audio/ogg; codecs=vorbis`, `audio/mpeg`.
    var source_type: String
    var bitrate: Int?
    var label: String
}

struct ShareLink: Sendable {
    var name: String
    /// Lowercase key for styling: `x`, `facebook`, `mastodon`, ...
    var key: String
    var url: String
}

struct LinkView: Sendable {
    var name: String
    var url: String
}

struct NavItem: Sendable {
    var label: String
    var url: String
    var current: Bool
}

struct PageMeta: Sendable {
    /// Page title alone ("Night Owls").
    var title: String
    /// `<title>`: "Night Owls · Radio Example" (the station name alone on the home page).
    var full_title: String
    var description: String
    /// Absolute canonical URL.
    var canonical: String
    /// Absolute image URL for Open Graph and Twitter cards.
    var image: String?
    /// `og:image:alt` of the share card (nil when the image is the artwork itself).
    var image_alt: String?
    /// `website` or `article`.
    var og_type: String
    /// Site path (`/shows/night-owls/`).
    var path: String
    var is_home: Bool
    /// Class on `<body>`: `page-home`, `page-schedule`, ...
    var kind: String
}

struct DayView: Sendable {
    /// `monday`.
    var key: String
    /// `Monday`.
    var name: String
    var slots: [SlotView]
    var is_empty: Bool
}

/// One slot on the schedule page or a show page. `start`/`end` are the next airing as UTC instants.
struct SlotView: Sendable {
    var show_slug: String
    var show_title: String
    var show_url: String
    var host: String?
    /// `monday` (weekly slots) or the special's weekday.
    var day: String
    var day_name: String
    /// `Mondays` (show pages: when a weekly slot airs).
    var days_name: String = ""
    var weekly_start: String
    var weekly_end: String
    var start: String
    var end: String
    var crosses_midnight: Bool
    var special: Bool
    /// Show the weekday beside the time (show pages; the schedule grid has day headings).
    var show_day: Bool = false
    /// The occasion's title for specials ("New Year's Eve Countdown").
    var title: String?
    /// `2026-12-31` for specials.
    var date: String?
    var date_label: String?
}

struct PaginationView: Sendable {
    var current: Int
    var total: Int
    var previous_url: String?
    var next_url: String?
}

struct ShowView: Sendable {
    var slug: String
    var title: String
    var host: String?
    var url: String
    var image: String?
    var description: String
    var genres: [String]
    var has_genres: Bool
    var body_html: String
    var slots: [SlotView]
    var has_slots: Bool
    var next_airing: SlotView?
    /// On the show's own page only (lists of shows leave them empty, so a new recording does not
    /// change them): its recorded airings, newest first, and its podcast feed.
    var recordings: [RecordingView] = []
    var has_recordings: Bool = false
    var podcast_url: String? = nil
}

struct PostView: Sendable {
    var title: String
    var url: String
    var date: String
    var date_label: String
    var author: String?
    var description: String?
    var image: String?
    var body_html: String
    /// The body cache's key of `body_html` (see `SiteRenderer.renderBodies`), which determines it:
    /// the page, news list and feed keys take these eight bytes instead of hashing the whole body.
    /// Not a template field.
    var body_key: UInt64? = nil
}

struct ArticleView: Sendable {
    var title: String
    var body_html: String
    var image: String?
}
