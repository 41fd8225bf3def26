import Foundation
import Mustache
import StationKit

/// Step 2: the station's Mustache templates, parsed once. `Templates/*.mustache` are pages,
/// `Templates/partials/*.mustache` are included with `{{> name}}`; `Templates/assets/` is copied.
struct TemplateSet: Sendable {
    /// Every page template a site needs.
    static let required = ["layout", "index", "schedule", "shows", "show", "page", "news", "post", "404"]

    var library: MustacheLibrary
    var templatesPath: String
    /// Template texts by display path, to find where a broken link was written.
    var sources: [String: String]
    /// The same templates for OnAir's own renderer, when they stay within its subset (they do
    /// unless a station uses set delimiters, transforms, inheritance or pragmas).
    var compiled: CompiledTemplates? = nil

    static func load(from url: URL, displayPath: String) -> Result<TemplateSet, ContentErrors> {
        var errors: [ContentError] = []
        var library = MustacheLibrary()
        var sources: [(name: String, file: SourceFile)] = []
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return .failure(
                ContentErrors([
                    ContentError(
                        path: displayPath,
                        message:
                            "the templates folder does not exist (copy Templates/ from the OnAir repository)")
                ]))
        }
        for folder in ["", "partials"] {
            let dir = folder.isEmpty ? url : url.appendingPathComponent(folder)
            let names = ((try? fileManager.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".mustache") }.sorted()
            for name in names {
                let relative = folder.isEmpty ? name : "\(folder)/\(name)"
                do {
                    let file = try SourceFile.read(dir.appendingPathComponent(name), displayPath: "\(displayPath)/\(relative)")
                    sources.append((String(name.dropLast(".mustache".count)), file))
                } catch { errors.append(error) }
            }
        }
        var names = Set<String>()
        for (name, file) in sources {
            names.insert(name)
            do {
                library.register(try MustacheTemplate(string: file.text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                errors.append(
                    ContentError(
                        path: file.displayPath, line: error.context.lineNumber,
                        message: "template syntax error: \(describe(error.error)) in '\(error.context.line.trimmingCharacters(in: .whitespaces))'"))
            } catch {
                errors.append(ContentError(path: file.displayPath, message: "template syntax error: \(error)"))
            }
        }
        for name in required where !names.contains(name) {
            errors.append(
                ContentError(
                    path: "\(displayPath)/\(name).mustache",
                    message:
                        "missing template (every site needs it; copy it from the OnAir repository's Templates/)"))
        }
        // A partial that does not exist renders as nothing in Mustache; for a station that is a mistake.
        for (_, file) in sources {
            for (line, partial) in partialReferences(in: file.text) where !names.contains(partial) {
                errors.append(
                    ContentError(
                        path: file.displayPath, line: line,
                        message:
                            "partial '\(partial)' does not exist (add \(displayPath)/partials/\(partial).mustache)"))
            }
        }
        guard errors.isEmpty else { return .failure(ContentErrors(errors)) }
        return .success(
            TemplateSet(
                library: library, templatesPath: displayPath,
                sources: Dictionary(sources.map { ($0.file.displayPath, $0.file.text) }) { a, _ in a },
                compiled: CompiledTemplates(sources: Dictionary(sources.map { ($0.name, $0.file.text) }) { _, b in b })))
    }

    /// `{{> name}}` references with their lines.
    static func partialReferences(in text: String) -> [(Int, String)] {
        var result: [(Int, String)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = Substring(line)
            while let open = rest.range(of: "{{>") {
                let after = rest[open.upperBound...]
                guard let close = after.range(of: "}}") else { break }
                let name = after[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                if !name.isEmpty { result.append((index + 1, name)) }
                rest = after[close.upperBound...]
            }
        }
        return result
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case MustacheTemplate.Error.sectionCloseNameIncorrect: "the closing tag names a different section"
        case MustacheTemplate.Error.unfinishedName: "unfinished tag (missing '}}')"
        case MustacheTemplate.Error.expectedSectionEnd: "a section is never closed (missing '{{/name}}')"
        case MustacheTemplate.Error.invalidSetDelimiter: "invalid delimiter change"
        default: "\(error)"
        }
    }

    func render(_ context: PageContext, template name: String) -> String {
        if let compiled { return compiled.render(context, template: name) }
        return library.render(context, withTemplate: name) ?? ""
    }

    func has(_ name: String) -> Bool {
        if let compiled { return compiled.has(name) }
        return library.getTemplate(named: name) != nil
    }
}
