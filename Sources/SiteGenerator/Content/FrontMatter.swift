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
        let parts = try split(file)
        let fields = try YAMLFields.parse(parts.yaml, path: file.displayPath, firstLine: 2, what: "front matter")
        return FrontMatter(fields: fields, body: parts.body, bodyLine: parts.bodyLine)
    }

    /// The front matter's YAML text, the body and the body's first line, without parsing the YAML.
    static func split(_ file: SourceFile) throws(ContentError) -> (yaml: String, body: String, bodyLine: Int) {
        // Only the lines up to the closing `---` are split; the body is the rest of the text as is.
        let text = file.text
        var lines: [Substring] = []
        var lineStart = text.startIndex
        var close: Int?
        while lineStart < text.endIndex || lines.isEmpty {
            let lineEnd = text[lineStart...].firstIndex(of: "\n") ?? text.endIndex
            let line = text[lineStart..<lineEnd]
            if lines.isEmpty, Escaping.trimmed(line, newlines: false) != "---" {
                throw ContentError(
                    path: file.displayPath, line: 1,
                    message: "missing front matter (start the file with a '---' line, then 'title: ...', then '---')")
            }
            lines.append(line)
            lineStart = lineEnd < text.endIndex ? text.index(after: lineEnd) : text.endIndex
            if lines.count > 1, Escaping.trimmed(line, newlines: false) == "---" { close = lines.count - 1; break }
            if lineEnd == text.endIndex { break }
        }
        guard let close else {
            throw ContentError(path: file.displayPath, line: 1, message: "front matter is not closed (add a '---' line after it)")
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        let closeEnd = lines[close].endIndex
        let body = closeEnd < text.endIndex ? String(text[text.index(after: closeEnd)...]) : ""
        return (yaml, body, close + 2)
    }
}
