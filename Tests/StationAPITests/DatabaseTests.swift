import Foundation
import Logging
import Testing

@testable import StationAPI

@Suite struct DatabaseTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("onair-api-db-\(UUID().uuidString)").path
    }

    @Test func reopeningKeepsUsersSessionsAndMessagesInWALMode() async throws {
        let dir = folder(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try await Database.open(dataDir: dir, logger: logger)
        _ = try await first.addUser(name: "sam", role: .admin, passwordHash: "x")
        try await first.createSession(tokenHash: "h", userID: 1, now: Date())
        let posted = try await first.addMessage(nickname: "owl", text: "hi", staff: false, client: "1.2.3.4", now: Date())
        await first.close()

        let second = try await Database.open(dataDir: dir, logger: logger)
        #expect(try await second.rows("PRAGMA journal_mode").first?.string("journal_mode") == "wal")
        #expect(try await second.rows("PRAGMA user_version").first?.int("user_version") == Database.schemaVersion)
        #expect(try await second.users().map(\.name) == ["sam"])
        #expect(try await second.sessionUser(tokenHash: "h", now: Date(), idle: 60, absolute: 60)?.name == "sam")
        #expect(try await second.recentMessages() == [posted])
        let deleted = try await second.deleteMessage(id: posted.message.id, now: Date())
        #expect(deleted?.kind == .chatDelete)
        #expect(try await second.chatEvents(after: posted.id).map(\.kind) == [.chatDelete])
        #expect(try await second.recentMessages().isEmpty)
        #expect(try await second.deleteMessage(id: posted.message.id, now: Date()) == nil)
        await second.close()
    }

    @Test func expiredSessionsAreGone() async throws {
        let dir = folder(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let database = try await Database.open(dataDir: dir, logger: logger)
        _ = try await database.addUser(name: "sam", role: .dj, passwordHash: "x")
        let start = Date(timeIntervalSince1970: 1_000_000)
        try await database.createSession(tokenHash: "h", userID: 1, now: start)
        #expect(try await database.sessionUser(tokenHash: "h", now: start.addingTimeInterval(61), idle: 60, absolute: 600) == nil)
        #expect(try await database.rows("SELECT COUNT(*) AS n FROM sessions").first?.int("n") == 0)
        await database.close()
    }

    @Test func aNewerSchemaIsRefusedWithAClearMessage() async throws {
        let dir = folder(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let database = try await Database.open(dataDir: dir, logger: logger)
        try await database.rows("PRAGMA user_version = 99")
        await database.close()
        let error = await #expect(throws: StorageError.self) { _ = try await Database.open(dataDir: dir, logger: logger) }
        #expect(
            error?.description
                == "the database \(dir)/onair-api.sqlite has schema version 99, newer than this onair-api (\(Database.schemaVersion)); upgrade onair-api"
        )
    }

    @Test func removingAUserEndsTheirSessions() async throws {
        let dir = folder(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let database = try await Database.open(dataDir: dir, logger: logger)
        _ = try await database.addUser(name: "sam", role: .dj, passwordHash: "x")
        try await database.createSession(tokenHash: "h", userID: 1, now: Date())
        #expect(try await database.removeUser(named: "SAM"))
        #expect(try await database.sessionUser(tokenHash: "h", now: Date(), idle: 60, absolute: 60) == nil)
        #expect(try await database.removeUser(named: "sam") == false)
        await database.close()
    }
}
