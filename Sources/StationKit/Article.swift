/// A page (`Content/pages/about.md`) or a news post (`Content/news/2026-11-20-winter-schedule.md`).
public struct Article: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case page, post }

    public var kind: Kind
    /// File name without `.md` (and, for posts, without a leading date): `about`, `winter-schedule`.
    public var slug: String
    public var title: String
    public var description: String?
    /// Posts have a date (front matter `date:` or the file name's `YYYY-MM-DD-` prefix).
    public var date: LocalDate?
    public var author: String?
    public var image: String?
    public var body: String

    public init(
        kind: Kind, slug: String, title: String, description: String?, date: LocalDate?,
        author: String?, image: String?, body: String
    ) {
        self.kind = kind; self.slug = slug; self.title = title; self.description = description
        self.date = date; self.author = author; self.image = image; self.body = body
    }

    /// Site path: `/about/` for pages, `/news/winter-schedule/` for posts.
    public var url: String { kind == .page ? "/\(slug)/" : "/news/\(slug)/" }
}
