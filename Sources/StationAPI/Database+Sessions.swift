import Foundation
import SQLiteNIO

extension Database {
    /// Stores a new session (only the token's SHA-256 is kept).
    func createSession(tokenHash: String, userID: Int, now: Date) async throws {
        try await rows(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen) VALUES (?, ?, ?, ?)",
            [.text(tokenHash), .integer(userID), .float(now.timeIntervalSince1970), .float(now.timeIntervalSince1970)])
    }

    /// The signed-in user for a token hash, if the session exists and has not expired; refreshes `last_seen`.
    func sessionUser(tokenHash: String, now: Date, idle: TimeInterval, absolute: TimeInterval) async throws -> User? {
        let found = try await rows(
            """
            SELECT u.id, u.name, u.role, u.created_at, s.created_at AS s_created, s.last_seen
            FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?
            """, [.text(tokenHash)])
        guard let row = found.first else { return nil }
        let t = now.timeIntervalSince1970
        if t - row.double("last_seen") > idle || t - row.double("s_created") > absolute {
            try await deleteSession(tokenHash: tokenHash)
            return nil
        }
        if t - row.double("last_seen") > 60 {
            try await rows("UPDATE sessions SET last_seen = ? WHERE token_hash = ?", [.float(t), .text(tokenHash)])
        }
        return user(from: row)
    }

    func deleteSession(tokenHash: String) async throws {
        try await rows("DELETE FROM sessions WHERE token_hash = ?", [.text(tokenHash)])
    }

    func deleteExpiredSessions(now: Date, idle: TimeInterval, absolute: TimeInterval) async throws {
        let t = now.timeIntervalSince1970
        try await rows("DELETE FROM sessions WHERE last_seen < ? OR created_at < ?", [.float(t - idle), .float(t - absolute)])
    }
}
