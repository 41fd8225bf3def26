import NIOCore

/// One Server-Sent Event, or a heartbeat comment, as the bytes on the wire.
///
/// The wire form is built once, when the event is made: one chat post goes to every open stream,
/// and each of them writes the same (shared, copy-on-write) buffer instead of formatting it again.
struct ServerSentEvent: Sendable, Equatable {
    let event: String?
    let id: Int?
    let data: String
    let isComment: Bool
    /// `event:`/`id:` lines, then one `data:` line per line of `data`, then a blank line.
    let text: String
    /// `text` as the bytes every stream writes.
    let bytes: ByteBuffer

    init(event: String?, id: Int?, data: String, isComment: Bool = false) {
        self.event = event; self.id = id; self.data = data; self.isComment = isComment
        let text = Self.wire(event: event, id: id, data: data, isComment: isComment)
        self.text = text
        self.bytes = ByteBuffer(string: text)
    }

    static let heartbeat = ServerSentEvent(event: nil, id: nil, data: "heartbeat", isComment: true)

    private static func wire(event: String?, id: Int?, data: String, isComment: Bool) -> String {
        if isComment { return ": \(data)\n\n" }
        var out = ""
        if let event { out += "event: \(event)\n" }
        if let id { out += "id: \(id)\n" }
        for line in lines(data) {
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
