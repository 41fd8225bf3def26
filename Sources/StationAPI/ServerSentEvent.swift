/// One Server-Sent Event, or a heartbeat comment, as the bytes on the wire.
struct ServerSentEvent: Sendable, Equatable {
    var event: String?
    var id: Int?
    var data: String
    var isComment = false

    static let heartbeat = ServerSentEvent(event: nil, id: nil, data: "heartbeat", isComment: true)

    /// `event:`/`id:` lines, then one `data:` line per line of `data`, then a blank line.
    var text: String {
        if isComment { return ": \(data)\n\n" }
        var out = ""
        if let event { out += "event: \(event)\n" }
        if let id { out += "id: \(id)\n" }
        for line in Self.lines(data) {
            out += "data: \(line)\n"
        }
        return out + "\n"
    }

    /// `text` split where the event-stream format ends a line: CR LF, CR or LF, and nowhere else.
    /// Swift's `isNewline` also breaks at U+0085, U+2028 and U+2029, which browsers keep inside a
    /// `data:` line; splitting there would cut a JSON string in two and the page would drop the event.
    static func lines(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        var start = text.unicodeScalars.startIndex
        var index = start
        let scalars = text.unicodeScalars
        while index < scalars.endIndex {
            let scalar = scalars[index]
            guard scalar == "\r" || scalar == "\n" else { index = scalars.index(after: index); continue }
            lines.append(Substring(scalars[start..<index]))
            var next = scalars.index(after: index)
            if scalar == "\r", next < scalars.endIndex, scalars[next] == "\n" { next = scalars.index(after: next) }
            index = next
            start = next
        }
        lines.append(Substring(scalars[start..<scalars.endIndex]))
        return lines
    }
}
