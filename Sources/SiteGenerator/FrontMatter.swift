import StationKit
import Yams

/// A Markdown file split into its YAML front matter and its body.
///
/// ```
/// ---
/// title: Night Owls
/// host: Sam Rivera
/// ---
/// The body, in Markdown.
/// ```
struct FrontMatter {
    var fields: YAMLFields
    var body: String
    /// The 1-based line of the file where the body starts (for errors found in the body).
    var bodyLine: Int

    static func parse(_ file: SourceFile) throws(ContentError) -> FrontMatter {
        let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == "---" else {
            throw ContentError(path: file.displayPath, line: 1,
                               message: "missing front matter (start the file with a '---' line, then 'title: ...', then '---')")
        }
        guard let close = lines.indices.dropFirst().first(where: { lines[$0].trimmingCharacters(in: .whitespaces) == "---" }) else {
            throw ContentError(path: file.displayPath, line: 1, message: "front matter is not closed (add a '---' line after it)")
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        let fields = try YAMLFields.parse(yaml, path: file.displayPath, firstLine: 2, what: "front matter")
        let body = lines[(close + 1)...].joined(separator: "\n")
        return FrontMatter(fields: fields, body: body, bodyLine: close + 2)
    }
}
