/// Parses a template into `CompiledTemplates.Token`s, following swift-mustache 2's parser step by
/// step (standalone lines, the whitespace before a tag, partial indentation), so both produce the
/// same bytes. It only sees templates swift-mustache has already accepted; anything outside the
/// subset OnAir renders itself (set delimiters, transforms, inheritance, pragmas, dynamic partials)
/// returns nil and the template set stays with swift-mustache.
struct MustacheParser {
    typealias Token = CompiledTemplates.Token

    private var chars: [Character]
    private var position = 0

    /// The tokens of `text`, or nil when it uses more than the compiled subset.
    static func parse(_ text: String) -> [Token]? {
        var parser = MustacheParser(chars: Array(text))
        return try? parser.parse(section: nil, newLine: true)
    }

    private struct Unsupported: Error {}

    private var atEnd: Bool { position >= chars.count }
    private var current: Character { atEnd ? "\0" : chars[position] }

    private mutating func skip(while predicate: (Character) -> Bool) -> String {
        let start = position
        while !atEnd, predicate(chars[position]) { position += 1 }
        return String(chars[start..<position])
    }

    private mutating func read(_ string: String) -> Bool {
        let wanted = Array(string)
        guard position + wanted.count <= chars.count else { return false }
        guard Array(chars[position..<position + wanted.count]) == wanted else { return false }
        position += wanted.count
        return true
    }

    /// Text up to the next newline (not consumed) or `{{` (consumed).
    private mutating func readText() -> String {
        var text = ""
        while !atEnd {
            text += skip { $0 != "\n" && $0 != "\r\n" && $0 != "{" }
            if current.isNewline { break }
            if current == "{" {
                if read("{{") { break }
                text.append("{")
                position += 1
            }
        }
        return text
    }

    private mutating func parse(section: String?, newLine startOnNewLine: Bool) throws -> [Token] {
        var tokens: [Token] = []
        var newLine = startOnNewLine
        var whiteSpaceBefore = ""
        while !atEnd {
            if newLine { whiteSpaceBefore = skip { $0 == " " || $0 == "\t" } }
            let text = readText()
            if current.isNewline {
                tokens.append(.text(whiteSpaceBefore + text + String(current)))
                newLine = true
                position += 1
                continue
            }
            if !text.isEmpty {
                tokens.append(.text(whiteSpaceBefore + text))
                whiteSpaceBefore = ""
                newLine = false
            }
            if atEnd { break }
            var setNewLine = false
            func flushWhiteSpace() {
                if !whiteSpaceBefore.isEmpty { tokens.append(.text(whiteSpaceBefore)); whiteSpaceBefore = "" }
            }
            switch current {
            case "#", "^":
                let inverted = current == "^"
                position += 1
                let name = try parseName()
                if newLine && lineFinished() { setNewLine = true } else { flushWhiteSpace() }
                let body = try parse(section: name, newLine: setNewLine)
                tokens.append(.section(CompiledTemplates.Name(name), body, inverted: inverted))
            case "/":
                position += 1
                let name = try parseName()
                guard name == section else { throw Unsupported() }
                if !(newLine && lineFinished()) { flushWhiteSpace() }
                return tokens
            case "!":
                position += 1
                guard let close = findClose() else { throw Unsupported() }
                position = close + 2
                setNewLine = newLine && lineFinished()
            case "{", "&":
                let triple = current == "{"
                flushWhiteSpace()
                position += 1
                let name = try parseName()
                if triple { guard read("}") else { throw Unsupported() } }
                tokens.append(.variable(CompiledTemplates.Name(name), escaped: false))
            case ">":
                position += 1
                _ = skip(while: \.isWhitespace)
                guard current != "*" else { throw Unsupported() }
                _ = skip(while: \.isWhitespace)
                let name = skip { Self.partialNameChars.contains($0) }
                _ = skip(while: \.isWhitespace)
                guard read("}}") else { throw Unsupported() }
                if !whiteSpaceBefore.isEmpty { tokens.append(.text(whiteSpaceBefore)) }
                if newLine && lineFinished() {
                    setNewLine = true
                    tokens.append(.partial(name, indentation: whiteSpaceBefore))
                } else {
                    tokens.append(.partial(name, indentation: nil))
                }
                whiteSpaceBefore = ""
            case "<", "$", "=", "%":
                throw Unsupported()
            default:
                flushWhiteSpace()
                let name = try parseName()
                tokens.append(.variable(CompiledTemplates.Name(name), escaped: true))
            }
            newLine = setNewLine
        }
        guard section == nil else { throw Unsupported() }
        return tokens
    }

    private mutating func parseName() throws -> String {
        _ = skip(while: \.isWhitespace)
        let name = skip { Self.nameChars.contains($0) }
        _ = skip(while: \.isWhitespace)
        guard read("}}"), !name.contains("("), !name.contains(")") else { throw Unsupported() }
        return name
    }

    /// Index of the next `}}`.
    private func findClose() -> Int? {
        var index = position
        while index + 1 < chars.count {
            if chars[index] == "}", chars[index + 1] == "}" { return index }
            index += 1
        }
        return nil
    }

    /// Only spaces and tabs up to the end of the line (consumed with its newline) or of the text.
    private mutating func lineFinished() -> Bool {
        if atEnd { return true }
        var index = position
        while index < chars.count, chars[index] == " " || chars[index] == "\t" { index += 1 }
        guard index < chars.count, chars[index].isNewline else { return false }
        position = index + 1
        return true
    }

    private static let nameChars = Set<Character>("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?()*")
    private static let partialNameChars = Set<Character>("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?()*/")
}
