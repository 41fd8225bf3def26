import Foundation

/// A staff account. `admin` manages users; both roles run the studio.
public struct User: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable, CaseIterable {
        case admin, dj
    }

    public var id: Int
    public var name: String
    public var role: Role
    public var createdAt: Date

    enum CodingKeys: String, CodingKey { case id, name, role, createdAt = "created_at" }

    /// Names are 1–32 letters, digits, `.`, `_` or `-`, starting with a letter or digit.
    public static func validationError(name: String) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard (1...32).contains(name.count), name.allSatisfy(allowed.contains),
            let first = name.first, first.isLetter || first.isNumber
        else {
            return "user names are 1–32 letters, digits, '.', '_' or '-', starting with a letter or digit: '\(name)'"
        }
        return nil
    }
}
