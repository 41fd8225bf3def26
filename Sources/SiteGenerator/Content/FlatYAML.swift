import Yams

/// The common front matter — one `key: value` per line, each value a single-line plain,
/// 'single-quoted' or "double-quoted" scalar without escapes — composed straight into the nodes
/// libyaml and Yams would build for it (same strings, tags and styles; the keys' lines returned
/// beside them, as Yams does not let marks be made), without running
/// the YAML parser. Anything else (comments, blank or indented lines, lists, escapes, tabs,
/// `: ` or ` #` inside a plain value, duplicate keys, control characters, Unicode line breaks)
/// returns nil, and the text goes through Yams as before, with its errors.
enum FlatYAML {
    static func mapping(_ yaml: String) -> (Node.Mapping, [String: Int])? {
        var yaml = yaml
        return yaml.withUTF8 { bytes -> (Node.Mapping, [String: Int])? in
            guard !bytes.isEmpty else { return nil }
            var pairs: [(Node, Node)] = []
            var keys: [String: Int] = [:]
            var lineStart = 0
            var line = 1
            while lineStart <= bytes.count {
                var lineEnd = lineStart
                while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                guard let (key, value, style) = pair(bytes, lineStart, lineEnd), keys[key] == nil else { return nil }
                keys[key] = line
                let keyNode = Node.scalar(.init(key, tag(.implicit), .plain))
                let valueNode = Node.scalar(.init(value, tag(style == .plain ? .implicit : .str), style))
                pairs.append((keyNode, valueNode))
                if lineEnd == bytes.count { break }
                lineStart = lineEnd + 1
                line += 1
            }
            guard !pairs.isEmpty else { return nil }
            return (Node.Mapping(pairs, tag(.implicit), .block), keys)
        }
    }

    private static func tag(_ name: Tag.Name) -> Tag { Tag(name, .default, .default) }

    /// `key: value` on one line: the key, the scalar's string and its style.
    private static func pair(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
        -> (String, String, Node.Scalar.Style)?
    {
        var index = start
        guard index < end, isLetter(bytes[index]) else { return nil }
        while index < end,
            isLetter(bytes[index]) || isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_")
                || bytes[index] == UInt8(ascii: "-")
        { index += 1 }
        let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard index + 1 < end, bytes[index] == UInt8(ascii: ":"), bytes[index + 1] == UInt8(ascii: " ") else { return nil }
        index += 1
        while index < end, bytes[index] == UInt8(ascii: " ") { index += 1 }
        let valueStart = index
        guard valueStart < end, bytes[end - 1] != UInt8(ascii: " ") else { return nil }
        // Only printable text: no tabs, control bytes, DEL, NEL (C2 85), U+2028/2029 (E2 80 A8/A9) or a BOM.
        for position in valueStart..<end {
            let byte = bytes[position]
            if byte < 0x20 || byte == 0x7F { return nil }
            if byte == 0xC2, position + 1 < end, bytes[position + 1] == 0x85 { return nil }
            if byte == 0xE2, position + 2 < end, bytes[position + 1] == 0x80, bytes[position + 2] == 0xA8 || bytes[position + 2] == 0xA9 {
                return nil
            }
            if byte == 0xEF, position + 2 < end, bytes[position + 1] == 0xBB, bytes[position + 2] == 0xBF { return nil }
        }
        let first = bytes[valueStart]
        let last = bytes[end - 1]
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
            guard end - valueStart >= 2, last == first else { return nil }
            for position in valueStart + 1..<end - 1 where bytes[position] == first || bytes[position] == UInt8(ascii: "\\") {
                return nil
            }
            let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart + 1..<end - 1]), as: UTF8.self)
            return (key, value, first == UInt8(ascii: "\"") ? .doubleQuoted : .singleQuoted)
        }
        // A plain scalar: no indicator first, no `: `/` #` inside, no `:` at the end.
        guard !"-?:,[]{}#&*!|>'\"%@`".utf8.contains(first), last != UInt8(ascii: ":") else { return nil }
        for position in valueStart..<end - 1 {
            let byte = bytes[position], next = bytes[position + 1]
            if byte == UInt8(ascii: ":"), next == UInt8(ascii: " ") { return nil }
            if byte == UInt8(ascii: " "), next == UInt8(ascii: "#") { return nil }
        }
        let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<end]), as: UTF8.self)
        return (key, value, .plain)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
