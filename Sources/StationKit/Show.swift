/// A show from `Content/shows/<slug>.md`: front matter plus a Markdown body.
public struct Show: Sendable, Hashable {
    /// File name without `.md`: `night-owls`.
    public var slug: String
    public var title: String
    public var host: String?
    /// Path under `Content/`, e.g. `images/night-owls.svg`.
    public var image: String?
    /// One or two sentences for listings and link previews.
    public var description: String
    public var genres: [String]
    /// Markdown source of the body (after the front matter).
    public var body: String
    /// `live: true` in the front matter: a DJ is expected in this show's slots (onaird plays the
    /// show's folder or the rotation until one connects).
    public var live: Bool
    /// `record: false` in the front matter (music rights): onaird never records its airings.
    public var record: Bool

    public init(
        slug: String, title: String, host: String?, image: String?, description: String,
        genres: [String], body: String, live: Bool = false, record: Bool = true
    ) {
        self.slug = slug; self.title = title; self.host = host; self.image = image
        self.description = description; self.genres = genres; self.body = body
        self.live = live; self.record = record
    }

    /// Site path of the show's page.
    public var url: String { "/shows/\(slug)/" }
}
