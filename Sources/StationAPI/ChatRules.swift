import Foundation
import StationKit

/// What a chat line and a nickname may be: plain text, no control or direction-override
/// characters, bounded length. Errors are the sentences the listener sees.
enum ChatRules {
    static let maxText = 500
    static let maxNickname = 24
    /// A character may be many code points (combining marks): names are also capped in bytes.
    static let maxNicknameBytes = 64

    /// Bidirectional overrides/isolates can make a line render as something else.
    static let bidiControls: ClosedRange<UInt32> = 0x202A...0x202E
    static let bidiIsolates: ClosedRange<UInt32> = 0x2066...0x2069

    static func hasForbiddenCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            scalar.properties.generalCategory == .control || bidiControls.contains(scalar.value)
                || bidiIsolates.contains(scalar.value) || scalar.value == 0xFEFF
        }
    }

    /// The trimmed text, or the reason it is refused.
    static func text(_ raw: String) -> Result<String, APIError> {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return .failure(.badRequest("empty_text", "write something first")) }
        if hasForbiddenCharacters(text) {
            return .failure(.badRequest("control_characters", "messages are one line of text without control characters"))
        }
        if text.count > maxText || text.utf8.count > maxText * 4 {
            return .failure(.badRequest("text_too_long", "messages are at most \(maxText) characters (this one has \(text.count))"))
        }
        return .success(text)
    }

    /// The trimmed nickname, or the reason it is refused.
    static func nickname(_ raw: String) -> Result<String, APIError> {
        let name = raw.trimmingCharacters(in: .whitespaces)
        if name.isEmpty { return .failure(.badRequest("empty_nickname", "pick a nickname first")) }
        if hasForbiddenCharacters(name) {
            return .failure(.badRequest("control_characters", "nicknames are plain text without control characters"))
        }
        if name.count > maxNickname || name.utf8.count > maxNicknameBytes {
            return .failure(.badRequest("nickname_too_long", "nicknames are at most \(maxNickname) characters (\(maxNicknameBytes) bytes)"))
        }
        return .success(name)
    }

    /// A studio title: one line of at most `TrackTitle.maximumLength` characters, cleaned as every title is.
    static func title(_ raw: String) -> Result<String, APIError> {
        let title = raw.trimmingCharacters(in: .whitespaces)
        if title.isEmpty { return .failure(.badRequest("empty_title", "write a title such as \"Artist - Title\"")) }
        if hasForbiddenCharacters(title) {
            return .failure(.badRequest("control_characters", "titles are one line of text without control characters"))
        }
        if title.count > TrackTitle.maximumLength {
            return .failure(.badRequest("title_too_long", "titles are at most \(TrackTitle.maximumLength) characters"))
        }
        return .success(TrackTitle.parse(title).text)
    }
}
