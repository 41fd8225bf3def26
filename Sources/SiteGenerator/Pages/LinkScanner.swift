/// Finds Markdown links and images in one pass over UTF-8 bytes: exactly the matches (and the same
/// groups) of `(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?((?:\s+"[^"]*")?)\s*\)` scanned left to right
/// without overlap, as `NSRegularExpression` found them before (`\s` is Unicode White_Space).
struct LinkScanner {
    var bytes: UnsafeBufferPointer<UInt8>

    struct Link {
        var start: Int
        var end: Int
        var isImage: Bool
        /// Byte ranges of the link text, the target and the optional title (with its leading space).
        var text: Range<Int>
        var target: Range<Int>
        var title: Range<Int>
    }

    func forEachLink(_ body: (Link) -> Void) {
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "!"), index + 1 < count, bytes[index + 1] == UInt8(ascii: "["),
                let link = match(bracket: index + 1, start: index)
            {
                body(link); index = link.end; continue
            }
            if byte == UInt8(ascii: "["), let link = match(bracket: index, start: index) {
                body(link); index = link.end; continue
            }
            index += 1
        }
    }

    private func byte(_ index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }

    /// The length of the whitespace character at `index`, or 0.
    private func whitespace(at index: Int) -> Int {
        guard let byte = byte(index) else { return 0 }
        if byte < 0x80 { return (byte >= 9 && byte <= 13) || byte == 32 ? 1 : 0 }
        let length = Self.length(byte)
        guard index + length <= bytes.count,
            let scalar = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<index + length]), as: UTF8.self).unicodeScalars.first
        else { return 0 }
        return scalar.properties.isWhitespace ? length : 0
    }

    private static func length(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
    }

    private func skipWhitespace(from index: Int) -> Int {
        var index = index
        while true {
            let length = whitespace(at: index)
            if length == 0 { return index }
            index += length
        }
    }

    /// `\s*\)` from `index`: the index after the `)`.
    private func close(from index: Int) -> Int? {
        let after = skipWhitespace(from: index)
        return byte(after) == UInt8(ascii: ")") ? after + 1 : nil
    }

    /// `\s+"[^"]*"` from `index`: the index after the closing quote.
    private func title(from index: Int) -> Int? {
        guard whitespace(at: index) > 0 else { return nil }
        var quote = skipWhitespace(from: index)
        guard byte(quote) == UInt8(ascii: "\"") else { return nil }
        quote += 1
        while let byte = byte(quote), byte != UInt8(ascii: "\"") { quote += 1 }
        return quote < bytes.count ? quote + 1 : nil
    }

    private func match(bracket: Int, start: Int) -> Link? {
        var closeBracket = bracket + 1
        while let byte = byte(closeBracket), byte != UInt8(ascii: "]") { closeBracket += 1 }
        guard closeBracket < bytes.count, byte(closeBracket + 1) == UInt8(ascii: "(") else { return nil }
        let text = bracket + 1..<closeBracket
        let open = closeBracket + 2
        let afterSpace = skipWhitespace(from: open)

        // Greedy: `<?`, the target up to `)`, `>` or whitespace, `>?`, then the title if there is one.
        var index = afterSpace
        if byte(index) == UInt8(ascii: "<") { index += 1 }
        let targetStart = index
        while let byte = byte(index), byte != UInt8(ascii: ")"), byte != UInt8(ascii: ">"), whitespace(at: index) == 0 {
            index += Self.length(byte)
        }
        let target = targetStart..<index
        if byte(index) == UInt8(ascii: ">") { index += 1 }
        if let titleEnd = title(from: index), let end = close(from: titleEnd) {
            return Link(start: start, end: end, isImage: start != bracket, text: text, target: target, title: index..<titleEnd)
        }
        if let end = close(from: index) {
            return Link(start: start, end: end, isImage: start != bracket, text: text, target: target, title: index..<index)
        }
        // Backtracking: fewer spaces after `(`, an empty target, and the spaces begin the title: `( "a b" )`.
        guard afterSpace > open else { return nil }
        var lastSpace = open
        while lastSpace + whitespace(at: lastSpace) < afterSpace { lastSpace += whitespace(at: lastSpace) }
        guard let titleEnd = title(from: lastSpace), let end = close(from: titleEnd) else { return nil }
        return Link(
            start: start, end: end, isImage: start != bracket, text: text, target: lastSpace..<lastSpace,
            title: lastSpace..<titleEnd)
    }
}
