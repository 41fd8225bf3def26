/// The `StreamTitle` of an ICY metadata block (`StreamTitle='Artist - Title';StreamUrl='';`,
/// NUL-padded). Untrusted: the caller cleans it with `TrackTitle`.
enum ICYMetadata {
    static func streamTitle(_ block: String) -> String? {
        let text = block.prefix { $0 != "\0" }
        guard let start = text.range(of: "StreamTitle='") else { return nil }
        let rest = text[start.upperBound...]
        // The value ends at the first "';" (a title may contain a single quote).
        let end = rest.range(of: "';")?.lowerBound ?? rest.lastIndex(of: "'") ?? rest.endIndex
        return String(rest[..<end])
    }
}
