import Foundation

/// What is on air: artist and title when known, and the text people see ("Artist - Title").
///
/// The one place a title is parsed and cleaned, whoever sets it (file tags, `onair now`, the studio,
/// a DJ's stream, Icecast's status): control and format characters (bidi overrides among them),
/// line and paragraph separators become spaces, runs of white space one space, and the text is
/// limited to `maximumLength` characters. Every path that puts a title on air or on the page uses it.
public struct TrackTitle: Sendable, Hashable {
    /// The longest title (in characters) anyone may set; longer tags are cut.
    public static let maximumLength = 500

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

    /// Why `text` cannot be set as a title by a person (`onair now`, the studio), or nil when it can.
    public static func problem(with text: String) -> String? {
        if clean(text) == nil { return "give the title, e.g. \"Artist - Title\"" }
        if text.count > maximumLength { return "that title is \(text.count) characters long; \(maximumLength) at most" }
        return nil
    }

    /// Splits a DJ's "Artist - Title" at the first " - "; without one, it is all title.
    public static func parse(_ text: String) -> TrackTitle {
        let trimmed = clean(text) ?? ""
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
            match.upperBound < text.endIndex
        {
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

    /// Characters that never stay in a title: control and format characters (Cc, Cf: bidi
    /// overrides, zero-width marks), line and paragraph separators, NEL.
    private static let unwanted = CharacterSet.controlCharacters.union(.newlines)

    /// `value` cleaned (see the type), or nil when nothing is left.
    public static func clean(_ value: String?) -> String? {
        guard let value else { return nil }
        var result = ""
        result.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        var count = 0
        for scalar in value.unicodeScalars {
            if unwanted.contains(scalar) || CharacterSet.whitespaces.contains(scalar) {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.unicodeScalars.append(" "); pendingSpace = false }
            result.unicodeScalars.append(scalar)
            count += 1
            if count >= maximumLength * 4 { break }  // scalars; cut to characters below
        }
        if result.count > maximumLength { result = String(result.prefix(maximumLength)) }
        return result.isEmpty ? nil : result
    }
}
