import StationKit

/// What the loader takes from a page's or news post's front matter, read in the order the
/// fields' errors are reported. Without `errors` it is all a file's front matter contributes to
/// the build, which is what lets `ContentCache` keep it for files that did not change.
struct ArticleFields: Sendable, Equatable {
    var draft: Bool
    /// A post's `date:` field, when it is a valid date (an invalid one is in `errors`).
    var date: LocalDate?
    /// The front matter has a `date` key at all (a post without a date is an error).
    var hasDateKey: Bool
    var title: String?
    var description: String?
    var author: String?
    var image: String?
    /// The line of the `image` key (an image that does not exist is reported there).
    var imageLine: Int
    /// Type and value errors of the fields, in the order found (`image` existence is checked later).
    var errors: [ContentError]

    /// Reads the fields of `fields` for a page (`post` false) or a news post.
    static func read(_ fields: YAMLFields, post: Bool) -> ArticleFields {
        var fields = fields
        var result = ArticleFields(
            draft: fields.bool("draft"), date: nil, hasDateKey: false, title: nil, description: nil,
            author: nil, image: nil, imageLine: 1, errors: [])
        if result.draft {
            result.errors = fields.errors
            return result
        }
        if post {
            if let text = fields.string("date") {
                if let parsed = LocalDate(parsing: String(text.prefix(10))) {
                    result.date = parsed
                } else {
                    fields.fail("date", "'date' must be YYYY-MM-DD, not '\(text)'")
                }
            }
            result.hasDateKey = fields.node("date") != nil
        }
        result.title = fields.string("title", required: true)
        result.description = fields.string("description")
        result.author = fields.string("author")
        result.image = fields.string("image")
        result.imageLine = fields.line("image")
        result.errors = fields.errors
        return result
    }
}
