import Foundation

/// The JSON beside each recording (`<show>/<YYYY-MM-DD-HHMM>.json`): what aired, for "Listen again"
/// and the podcast feeds. onaird writes it when the airing (or part) ends; `onair build` reads it.
/// Titles come from file tags and DJs: untrusted, escaped by every page and feed that shows them.
public struct RecordingSidecar: Codable, Sendable, Equatable {
    public struct ShowRef: Codable, Sendable, Equatable {
        public var slug: String
        public var title: String
        public init(slug: String, title: String) { self.slug = slug; self.title = title }
    }

    /// One item that aired, `offset` seconds into the file.
    public struct Track: Codable, Sendable, Equatable {
        public var offset: Double
        public var text: String
        public var artist: String?
        public var title: String?
        public init(offset: Double, text: String, artist: String? = nil, title: String? = nil) {
            self.offset = offset; self.text = text; self.artist = artist; self.title = title
        }
    }

    public var schema: Int
    public var show: ShowRef
    public var start: Date
    public var end: Date
    /// The show is a live one (a DJ was expected).
    public var live: Bool
    public var dj: String?
    /// The audio file's name, in the same folder.
    public var file: String
    public var format: RecordingFormat
    /// 1 for the airing's first file, 2 after an onaird restart in the same airing, ...
    public var part: Int
    public var tracks: [Track]

    public init(
        show: ShowRef, start: Date, end: Date, live: Bool, dj: String?, file: String, format: RecordingFormat,
        part: Int = 1, tracks: [Track] = []
    ) {
        self.schema = 1
        self.show = show; self.start = start; self.end = end; self.live = live; self.dj = dj
        self.file = file; self.format = format; self.part = part; self.tracks = tracks
    }

    public var duration: Double { max(0, end.timeIntervalSince(start)) }

    public func encoded() throws -> Data {
        var data = try JSONEncoder.onAir(pretty: true).encode(self)
        data.append(0x0A)
        return data
    }

    public static func decode(_ data: Data) throws -> RecordingSidecar {
        let sidecar = try JSONDecoder.onAir().decode(RecordingSidecar.self, from: data)
        guard sidecar.schema == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "schema \(sidecar.schema) is not 1"))
        }
        return sidecar
    }
}

/// The formats a recording can have: `record.format` in onaird.yaml.
public enum RecordingFormat: String, Codable, Sendable, CaseIterable {
    case opus, mp3, vorbis

    public var fileExtension: String {
        switch self {
        case .opus: "opus"
        case .mp3: "mp3"
        case .vorbis: "ogg"
        }
    }

    /// The enclosure's MIME type in podcast feeds.
    public var mimeType: String {
        switch self {
        case .opus, .vorbis: "audio/ogg"
        case .mp3: "audio/mpeg"
        }
    }
}
