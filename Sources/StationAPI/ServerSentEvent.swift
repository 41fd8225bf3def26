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
        for line in data.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            out += "data: \(line)\n"
        }
        return out + "\n"
    }
}
