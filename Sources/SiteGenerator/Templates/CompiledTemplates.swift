/// OnAir's own Mustache renderer for the subset station templates use: variables (`{{x}}`,
/// `{{{x}}}`, `{{& x}}`, dotted names), sections over lists, booleans, values and objects,
/// inverted sections, partials (with standalone indentation) and comments. It renders the same
/// bytes as swift-mustache 2 (the library that parses and checks the templates first) but reads
/// typed views (`MustacheObject`) instead of reflecting `Any`, which was 40 % of a build.
/// Templates that use anything else (set delimiters, transforms, inheritance, pragmas) are not
/// compiled and render through swift-mustache as before.
struct CompiledTemplates: Sendable {
    /// A tag name, resolved the way swift-mustache resolves it.
    enum Name: Equatable, Sendable {
        /// `{{.}}` (and an empty name): the top of the context stack.
        case top
        /// `{{.a.b}}`: from the top of the stack only.
        case fromTop([String])
        /// `{{a.b}}`: `a` in the nearest stack entry that has it, then `b` inside that.
        case search([String])

        init(_ name: String) {
            let parts = name.split(separator: ".").map(String.init)
            if name == "." || parts.isEmpty { self = .top } else if name.first == "." { self = .fromTop(parts) } else { self = .search(parts) }
        }
    }

    indirect enum Token: Sendable {
        case text(String)
        case variable(Name, escaped: Bool)
        case section(Name, [Token], inverted: Bool)
        /// `indentation` is set for a standalone partial tag.
        case partial(String, indentation: String?)
    }

    private(set) var templates: [String: [Token]]

    /// Compiles every template, or returns nil if one of them is outside the compiled subset.
    init?(sources: [String: String]) {
        var templates: [String: [Token]] = [:]
        for (name, text) in sources {
            guard let tokens = MustacheParser.parse(text) else { return nil }
            templates[name] = tokens
        }
        self.templates = templates
    }

    func has(_ name: String) -> Bool { templates[name] != nil }

    func render(_ context: some MustacheValueConvertible, template name: String) -> String {
        guard let tokens = templates[name] else { return "" }
        var stack = [context.mustacheValue]
        var output = ""
        output.reserveCapacity(16_384)
        render(tokens, &stack, indentation: nil, into: &output)
        return output
    }

    private func render(_ tokens: [Token], _ stack: inout [MustacheValue], indentation: String?, into output: inout String) {
        guard let indentation, !indentation.isEmpty else {
            for token in tokens { render(token, &stack, indentation: indentation, into: &output) }
            return
        }
        // swift-mustache indents a partial's output at token boundaries that follow a newline
        // of the same template's output.
        var local = ""
        for token in tokens {
            var piece = ""
            render(token, &stack, indentation: indentation, into: &piece)
            if !piece.isEmpty, local.last == "\n" { local += indentation }
            local += piece
        }
        output += local
    }

    private func render(_ token: Token, _ stack: inout [MustacheValue], indentation: String?, into output: inout String) {
        switch token {
        case .text(let text):
            output += text
        case .variable(let name, let escaped):
            guard let value = lookup(name, stack) else { return }
            if escaped { Self.appendEscaped(value.text, to: &output) } else { output += value.text }
        case .section(let name, let body, let inverted):
            let value = lookup(name, stack)
            switch value {
            case .list(let list)?:
                let count = list.mustacheCount
                if inverted {
                    guard count == 0 else { return }
                    stack.append(.list(list))
                    render(body, &stack, indentation: indentation, into: &output)
                    stack.removeLast()
                    return
                }
                for index in 0..<count {
                    stack.append(list.mustacheElement(index))
                    render(body, &stack, indentation: indentation, into: &output)
                    stack.removeLast()
                }
            case .bool(let bool)?:
                if bool != inverted { render(body, &stack, indentation: indentation, into: &output) }
            case nil:
                if inverted { render(body, &stack, indentation: indentation, into: &output) }
            case let value?:
                guard !inverted else { return }
                stack.append(value)
                render(body, &stack, indentation: indentation, into: &output)
                stack.removeLast()
            }
        case .partial(let name, let indented):
            guard let tokens = templates[name] else { return }
            let inner = indented.map { (indentation ?? "") + $0 } ?? indentation
            render(tokens, &stack, indentation: inner, into: &output)
        }
    }

    private func lookup(_ name: Name, _ stack: [MustacheValue]) -> MustacheValue? {
        switch name {
        case .top:
            return stack.last
        case .fromTop(let parts):
            guard let top = stack.last else { return nil }
            return resolve(parts[...], from: top)
        case .search(let parts):
            guard let first = parts.first else { return stack.last }
            for entry in stack.reversed() {
                if let found = Self.child(first, of: entry) { return resolve(parts.dropFirst(), from: found) }
            }
            return nil
        }
    }

    private func resolve(_ parts: ArraySlice<String>, from value: MustacheValue) -> MustacheValue? {
        var value = value
        for part in parts {
            guard let next = Self.child(part, of: value) else { return nil }
            value = next
        }
        return value
    }

    private static func child(_ name: String, of value: MustacheValue) -> MustacheValue? {
        if case .object(let object) = value { return object.mustacheValue(named: name) }
        return nil
    }

    /// swift-mustache's HTML escaping (`& < > " '`), over the UTF-8 bytes.
    static func appendEscaped(_ text: String, to output: inout String) {
        var text = text
        let plain = text.withUTF8 { bytes in
            !bytes.contains { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }
        }
        if plain { output += text; return }
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case 0x26: result += "&amp;".utf8
            case 0x3C: result += "&lt;".utf8
            case 0x3E: result += "&gt;".utf8
            case 0x22: result += "&quot;".utf8
            case 0x27: result += "&#39;".utf8
            default: result.append(byte)
            }
        }
        output += String(decoding: result, as: UTF8.self)
    }
}
