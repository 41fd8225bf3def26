import Foundation
import SQLiteNIO

extension Database {
    func user(from row: SQLiteRow) -> User? {
        guard let role = User.Role(rawValue: row.string("role")) else { return nil }
        return User(
            id: row.int("id"), name: row.string("name"), role: role,
            createdAt: Date(timeIntervalSince1970: row.double("created_at")))
    }

    public func users() async throws -> [User] {
        try await rows("SELECT id, name, role, created_at FROM users ORDER BY name").compactMap(user(from:))
    }

    public func user(named name: String) async throws -> User? {
        try await rows("SELECT id, name, role, created_at FROM users WHERE name = ?", [.text(name)]).first.flatMap(user(from:))
    }

    /// The stored bcrypt hash and the user, for sign-in.
    func credentials(named name: String) async throws -> (User, String)? {
        guard
            let row = try await rows(
                "SELECT id, name, role, created_at, password_hash FROM users WHERE name = ?",
                [.text(name)]
            ).first, let user = user(from: row)
        else { return nil }
        return (user, row.string("password_hash"))
    }

    /// Adds a user; fails with a clear message when the name is taken.
    @discardableResult
    public func addUser(name: String, role: User.Role, passwordHash: String, now: Date = Date()) async throws -> User {
        if try await user(named: name) != nil { throw StorageError("user '\(name)' already exists") }
        let inserted = try await rows(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
            [.text(name), .text(role.rawValue), .text(passwordHash), .float(now.timeIntervalSince1970)])
        return User(id: inserted.first?.int("id") ?? 0, name: name, role: role, createdAt: now)
    }

    /// Removes a user and every session of theirs; false when there was no such user.
    public func removeUser(named name: String) async throws -> Bool {
        guard let user = try await user(named: name) else { return false }
        try await rows("DELETE FROM sessions WHERE user_id = ?", [.integer(user.id)])
        try await rows("DELETE FROM users WHERE id = ?", [.integer(user.id)])
        return true
    }

    /// Sets a new password hash and signs the user out everywhere; false when there was no such user.
    public func setPassword(name: String, passwordHash: String) async throws -> Bool {
        guard let user = try await user(named: name) else { return false }
        try await rows("UPDATE users SET password_hash = ? WHERE id = ?", [.text(passwordHash), .integer(user.id)])
        try await rows("DELETE FROM sessions WHERE user_id = ?", [.integer(user.id)])
        return true
    }
}
