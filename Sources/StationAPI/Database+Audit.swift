import Foundation
import SQLiteNIO

/// One line of the audit log: who did what, when.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var id: Int
    public var at: Date
    public var actor: String
    public var action: String
    public var detail: String
}

extension Database {
    func audit(actor: String, action: String, detail: String, now: Date = Date()) async throws {
        try await rows(
            "INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)",
            [.float(now.timeIntervalSince1970), .text(actor), .text(action), .text(detail)])
    }

    /// The newest entries first.
    public func auditLog(limit: Int = 100) async throws -> [AuditEntry] {
        try await rows("SELECT id, at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?", [.integer(limit)]).map {
            AuditEntry(
                id: $0.int("id"), at: Date(timeIntervalSince1970: $0.double("at")), actor: $0.string("actor"),
                action: $0.string("action"), detail: $0.string("detail"))
        }
    }
}
