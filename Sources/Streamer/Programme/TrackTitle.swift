import Foundation

/// What is on air: artist and title when known, and the text people see ("Artist - Title").
public struct TrackTitle: Sendable, Hashable {
    public var artist: String?
    public var title: String?
    public var text: String

    public init(artist: String?, title: String?) {
        let artist = artist.flatMap(Self.clean), title = title.flatMap(Self.clean)
        self.artist = artist
        self.title = title
        switch (artist, title) {
        case let (artist?, title?): text = "\(artist) - \(title)"
        case let (nil, title?): text = title
        case let (artist?, nil): text = artist
        case (nil, nil): text = ""
        }
    }

    /// A title with only text (tone titles, "playlist is empty").
    public init(text: String) {
        self.artist = nil
        self.title = Self.clean(text)
        self.text = self.title ?? ""
    }

    /// Splits a DJ's "Artist - Title" at the first " - "; without one, it is all title.
    public static func parse(_ text: String) -> TrackTitle {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let range = trimmed.range(of: " - ") {
            let artist = String(trimmed[..<range.lowerBound]), title = String(trimmed[range.upperBound...])
            if clean(artist) != nil, clean(title) != nil { return TrackTitle(artist: artist, title: title) }
        }
        return TrackTitle(text: trimmed)
    }

    /// From a file's tags, else from its name: "03_night-drive.ogg" -> "night drive".
    public static func fromTags(artist: String?, title: String?, path: String) -> TrackTitle {
        if clean(title) != nil { return TrackTitle(artist: artist, title: title) }
        return parse(fileNameTitle(path))
    }

    /// "Music/03_night-drive.ogg" -> "night drive"; "01 - Artist - Song.wav" -> "Artist - Song".
    public static func fileNameTitle(_ path: String) -> String {
        let name = (path as NSString).lastPathComponent
        let base = (name as NSString).deletingPathExtension
        // " - " separates artist and title: keep it, turn the other dashes and underscores into spaces.
        let parts = base.replacingOccurrences(of: "_", with: " ").components(separatedBy: " - ").map { part in
            part.replacingOccurrences(of: "-", with: " ")
                .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        }.filter { !$0.isEmpty }
        var text = parts.joined(separator: " - ")
        // A leading track number ("03 ", "03. ", "3 - ") is not part of the title.
        if let match = text.range(of: #"^[0-9]{1,3}(\s*[.)]\s*|\s+-\s+|\s+)"#, options: .regularExpression),
           match.upperBound < text.endIndex {
            text = String(text[match.upperBound...])
        }
        return text.isEmpty ? base : text
    }

    /// Vorbis comments for the stream: TITLE, ARTIST, ENCODER=OnAir.
    public var vorbisComments: [(String, String)] {
        var comments: [(String, String)] = []
        if let title { comments.append(("TITLE", title)) } else if !text.isEmpty { comments.append(("TITLE", text)) }
        if let artist { comments.append(("ARTIST", artist)) }
        comments.append(("ENCODER", "OnAir"))
        return comments
    }

    private static func clean(_ value: String?) -> String? {
        guard let value else { return nil }
        let collapsed = value.components(separatedBy: .controlCharacters).joined(separator: " ")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return collapsed.isEmpty ? nil : collapsed
    }
}
