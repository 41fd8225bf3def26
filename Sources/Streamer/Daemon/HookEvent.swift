import Foundation
import StationKit

/// What a hook command gets on stdin: one JSON object with `event`, `at` and the event's fields.
/// Every text in it comes from tags, DJs or the network: the command must treat it as data.
enum HookEvent: Sendable, Equatable, Encodable {
    case title(text: String, artist: String?, title: String?, show: String?)
    case live(isLive: Bool, streamer: String?)
    case alarm(reason: AlarmReason, detail: String)

    /// The hook that runs for it: `title`, `live` or `alarm`.
    var name: String {
        switch self {
        case .title: "title"
        case .live: "live"
        case .alarm: "alarm"
        }
    }

    /// The event with its time, as the command reads it.
    struct Stamped: Encodable {
        var event: HookEvent
        var at: Date
        enum CodingKeys: String, CodingKey { case event, at }
        func encode(to encoder: any Encoder) throws {
            try event.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(at, forKey: .at)
        }
    }

    enum CodingKeys: String, CodingKey {
        case event, text, artist, title, show, isLive = "is_live", streamer, reason, detail
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .event)
        switch self {
        case .title(let text, let artist, let title, let show):
            try c.encode(text, forKey: .text); try c.encode(artist, forKey: .artist)
            try c.encode(title, forKey: .title); try c.encode(show, forKey: .show)
        case .live(let isLive, let streamer):
            try c.encode(isLive, forKey: .isLive); try c.encode(streamer, forKey: .streamer)
        case .alarm(let reason, let detail):
            try c.encode(reason.rawValue, forKey: .reason); try c.encode(detail, forKey: .detail)
        }
    }

    /// One line of JSON (with its newline).
    func payload(at date: Date) -> Data {
        var data = (try? JSONEncoder.onAir().encode(Stamped(event: self, at: date))) ?? Data("{}".utf8)
        data.append(0x0A)
        return data
    }
}
