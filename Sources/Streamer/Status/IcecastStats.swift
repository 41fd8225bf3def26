import Foundation
import StationKit

/// What Icecast's `/status-json.xsl` says about its mounts (only mounts with a source appear).
struct IcecastStats: Sendable, Equatable {
    struct Mount: Sendable, Equatable {
        /// `/radio.ogg`, from the source's `listenurl`.
        var mount: String
        var listeners: Int
        var listenerPeak: Int
        /// `server_name` (a DJ's BUTT sends its station name; ffmpeg `-ice_name`).
        var serverName: String?
        var title: String?
        var artist: String?
        /// Nominal bitrate in kbit/s when Icecast knows it.
        var bitrate: Int?
        var streamStart: Date?
        /// A source client feeds the mount. After a source leaves a mount that has a fallback, Icecast
        /// keeps listing it with only `listenurl` and `listeners` (no `stream_start`, no `server_type`).
        var hasSource: Bool

        init(
            mount: String, listeners: Int = 0, listenerPeak: Int = 0, serverName: String? = nil,
            title: String? = nil, artist: String? = nil, bitrate: Int? = nil, streamStart: Date? = nil,
            hasSource: Bool = true
        ) {
            self.hasSource = hasSource
            self.mount = mount; self.listeners = listeners; self.listenerPeak = listenerPeak
            self.serverName = serverName; self.title = title; self.artist = artist
            self.bitrate = bitrate; self.streamStart = streamStart
        }

        /// "Artist - Title" the way the source sent it.
        var songText: String? {
            switch (artist, title) {
            case let (artist?, title?): "\(artist) - \(title)"
            case let (nil, title?): title
            case let (artist?, nil): artist
            case (nil, nil): nil
            }
        }
    }

    var mounts: [Mount]

    init(mounts: [Mount]) { self.mounts = mounts }

    subscript(mount: String) -> Mount? { mounts.first { $0.mount == mount } }

    /// The mount's entry when a source feeds it (not the husk Icecast keeps for a fallback mount).
    func source(on mount: String) -> Mount? { self[mount].flatMap { $0.hasSource ? $0 : nil } }

    struct Malformed: Error, CustomStringConvertible {
        var reason: String
        var description: String { "malformed /status-json.xsl reply: \(reason)" }
    }

    /// Parses the reply in all its shapes: no `source` key (no source connected), one object, an array.
    static func parse(_ data: Data) throws(Malformed) -> IcecastStats {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw Malformed(reason: "not JSON")
        }
        guard let root = object as? [String: Any], let icestats = root["icestats"] as? [String: Any] else {
            throw Malformed(reason: "no 'icestats' object")
        }
        let sources: [[String: Any]]
        switch icestats["source"] {
        case nil, is NSNull: sources = []
        case let one as [String: Any]: sources = [one]
        case let many as [Any]:
            sources = many.compactMap { $0 as? [String: Any] }
            guard sources.count == many.count else { throw Malformed(reason: "a 'source' entry is not an object") }
        default: throw Malformed(reason: "'source' is neither an object nor an array")
        }
        var mounts: [Mount] = []
        for source in sources {
            guard let mount = Self.mountPath(source["listenurl"]) else { continue }
            mounts.append(
                Mount(
                    mount: mount,
                    listeners: Self.int(source["listeners"]) ?? 0,
                    listenerPeak: Self.int(source["listener_peak"]) ?? 0,
                    serverName: Self.text(source["server_name"]),
                    title: Self.text(source["title"]),
                    artist: Self.text(source["artist"]),
                    bitrate: Self.int(source["bitrate"]) ?? Self.int(source["audio_bitrate"]).map { $0 >= 1000 ? $0 / 1000 : $0 },
                    streamStart: Self.text(source["stream_start_iso8601"]).flatMap(Self.date),
                    hasSource: ["stream_start", "stream_start_iso8601", "server_type"].contains { source[$0] != nil }))
        }
        return IcecastStats(mounts: mounts)
    }

    static func mountPath(_ value: Any?) -> String? {
        guard let text = value as? String else { return nil }
        if text.hasPrefix("/") { return text }
        guard let components = URLComponents(string: text), !components.path.isEmpty else { return nil }
        return components.path
    }

    static func int(_ value: Any?) -> Int? {
        switch value {
        // No `is Bool` test: Foundation bridges 0 and 1 to Bool, and one listener is a count.
        case let number as NSNumber: number.intValue
        case let text as String: Int(text)
        default: nil
        }
    }

    /// Non-empty text; Icecast sends numbers for numeric titles.
    static func text(_ value: Any?) -> String? {
        let text: String? =
            switch value {
            case let string as String: string
            case let number as NSNumber: number.stringValue
            default: nil
            }
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    /// `2026-11-24T21:00:05+0100` (Icecast's form) or with a colon in the offset.
    static func date(_ text: String) -> Date? { ISO8601.date(text) }
}
