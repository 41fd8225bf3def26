import Foundation
import SQLiteNIO

extension Database {
    static let messageColumns = "m.id, m.nickname, m.text, m.staff, m.created_at"

    func message(from row: SQLiteRow) -> ChatMessage {
        ChatMessage(
            id: row.int("id"), nickname: row.string("nickname"), text: row.string("text"),
            staff: row.int("staff") != 0, at: Date(timeIntervalSince1970: row.double("created_at")))
    }

    /// Stores a message and its `chat` event; returns the event to broadcast.
    func addMessage(nickname: String, text: String, staff: Bool, client: String, now: Date) async throws -> ChatEvent {
        let inserted = try await rows(
            """
            INSERT INTO chat_messages (nickname, text, staff, client, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id
            """, [.text(nickname), .text(text), .integer(staff ? 1 : 0), .text(client), .float(now.timeIntervalSince1970)])
        let messageID = inserted.first?.int("id") ?? 0
        let event = try await rows("INSERT INTO chat_events (kind, message_id) VALUES ('chat', ?) RETURNING id", [.integer(messageID)])
        // The time as stored (seconds since 1970 in a double), so the broadcast event and a later
        // listing carry the same instant.
        let stored = Date(timeIntervalSince1970: now.timeIntervalSince1970)
        let message = ChatMessage(id: messageID, nickname: nickname, text: text, staff: staff, at: stored)
        return ChatEvent(id: event.first?.int("id") ?? 0, kind: .chat, message: message)
    }

    /// Marks a message deleted; returns its `chat-delete` event, or nil when there is no such visible message.
    func deleteMessage(id: Int, now: Date) async throws -> ChatEvent? {
        let found = try await rows(
            """
            UPDATE chat_messages SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL
            RETURNING id, nickname, text, staff, created_at
            """, [.float(now.timeIntervalSince1970), .integer(id)])
        guard let row = found.first else { return nil }
        let event = try await rows("INSERT INTO chat_events (kind, message_id) VALUES ('chat-delete', ?) RETURNING id", [.integer(id)])
        return ChatEvent(id: event.first?.int("id") ?? 0, kind: .chatDelete, message: message(from: row))
    }

    /// The last `limit` visible messages (oldest first), each with the id of its `chat` event.
    func recentMessages(limit: Int = 50, afterMessage: Int = 0) async throws -> [ChatEvent] {
        try await rows(
            """
            SELECT * FROM (SELECT e.id AS event_id, \(Self.messageColumns) FROM chat_messages m
                JOIN chat_events e ON e.message_id = m.id AND e.kind = 'chat'
                WHERE m.deleted_at IS NULL AND m.id > ? ORDER BY m.id DESC LIMIT ?) ORDER BY id
            """, [.integer(afterMessage), .integer(limit)]
        ).map {
            ChatEvent(id: $0.int("event_id"), kind: .chat, message: message(from: $0))
        }
    }

    /// The chat events after `eventID` (for `Last-Event-ID`), oldest first, at most `limit`, and none
    /// older than the newest `window` events: a resume never pages back through the whole history.
    /// A deleted message is never sent again: its `chat` event is left out and its `chat-delete`
    /// event carries the message id only (nickname and text are blank).
    func chatEvents(after eventID: Int, window: Int = 500, limit: Int = 500) async throws -> [ChatEvent] {
        try await rows(
            """
            SELECT e.id AS event_id, e.kind, m.id, m.staff, m.created_at,
                CASE WHEN m.deleted_at IS NULL THEN m.nickname ELSE '' END AS nickname,
                CASE WHEN m.deleted_at IS NULL THEN m.text ELSE '' END AS text
            FROM chat_events e JOIN chat_messages m ON m.id = e.message_id
            WHERE e.id > MAX(?, (SELECT COALESCE(MAX(id), 0) FROM chat_events) - ?)
                AND (e.kind = 'chat-delete' OR m.deleted_at IS NULL)
            ORDER BY e.id LIMIT ?
            """, [.integer(eventID), .integer(window), .integer(limit)]
        ).map {
            ChatEvent(id: $0.int("event_id"), kind: ChatEvent.Kind(rawValue: $0.string("kind")) ?? .chat, message: message(from: $0))
        }
    }

    /// Removes the messages posted before `cutoff` (deleted or not) with their events, and mutes
    /// that have ended; returns how many messages went.
    @discardableResult
    func pruneChat(before cutoff: Date, now: Date = Date()) async throws -> Int {
        let t = cutoff.timeIntervalSince1970
        try await rows("DELETE FROM chat_events WHERE message_id IN (SELECT id FROM chat_messages WHERE created_at < ?)", [.float(t)])
        let removed = try await rows("DELETE FROM chat_messages WHERE created_at < ? RETURNING id", [.float(t)]).count
        try await rows("DELETE FROM mutes WHERE until < ?", [.float(now.timeIntervalSince1970)])
        return removed
    }

    func lastChatEventID() async throws -> Int {
        try await rows("SELECT COALESCE(MAX(id), 0) AS last FROM chat_events").first?.int("last") ?? 0
    }

    /// Mutes a nickname until `until`.
    func mute(nickname: String, until: Date, by: String) async throws {
        try await rows(
            "INSERT INTO mutes (nickname, until, by) VALUES (?, ?, ?) ON CONFLICT(nickname) DO UPDATE SET until = excluded.until, by = excluded.by",
            [.text(nickname), .float(until.timeIntervalSince1970), .text(by)])
    }

    /// When the nickname's mute ends, if it is muted now.
    func mutedUntil(nickname: String, now: Date) async throws -> Date? {
        guard let row = try await rows("SELECT until FROM mutes WHERE nickname = ?", [.text(nickname)]).first else { return nil }
        let until = Date(timeIntervalSince1970: row.double("until"))
        return until > now ? until : nil
    }
}
