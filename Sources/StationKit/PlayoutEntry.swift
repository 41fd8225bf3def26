import Foundation

/// One item that aired, as a line of onaird's playout log (`playout_log:`): one JSON object per
/// line, UTF-8. onaird appends a line when the item ends; `onair report` reads the file.
/// Text fields come from file tags: untrusted, JSON-encoded here and quoted by every report.
public struct PlayoutEntry: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case music, id, live
    }

    /// When the item started (UTC).
    public var start: Date
    /// Seconds of it that went on air (to the millisecond).
    public var seconds: Double
    public var artist: String?
    public var title: String
    public var album: String?
    public var label: String?
    public var isrc: String?
    /// The show's slug, or `rotation` between shows.
    public var show: String
    public var kind: Kind
    /// The file, relative to the music folder (`rotation/song.ogg`); nil for live audio and the tone.
    public var file: String?
    /// Listeners on the station's mounts when the item started.
    public var listeners: Int

    public init(
        start: Date, seconds: Double, artist: String?, title: String, album: String? = nil, label: String? = nil,
        isrc: String? = nil, show: String, kind: Kind, file: String?, listeners: Int
    ) {
        self.start = start; self.seconds = seconds; self.artist = artist; self.title = title; self.album = album
        self.label = label; self.isrc = isrc; self.show = show; self.kind = kind; self.file = file
        self.listeners = listeners
    }

    enum CodingKeys: String, CodingKey {
        case start, seconds, artist, title, album, label, isrc, show, kind, file, listeners
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(start, forKey: .start)
        try c.encode((seconds * 1000).rounded() / 1000, forKey: .seconds)
        try c.encode(artist, forKey: .artist); try c.encode(title, forKey: .title)
        try c.encode(album, forKey: .album); try c.encode(label, forKey: .label); try c.encode(isrc, forKey: .isrc)
        try c.encode(show, forKey: .show); try c.encode(kind, forKey: .kind); try c.encode(file, forKey: .file)
        try c.encode(listeners, forKey: .listeners)
    }

    /// The entry as one log line (with its newline).
    public func line() throws -> Data {
        var data = try JSONEncoder.onAir().encode(self)
        data.append(0x0A)
        return data
    }
}
