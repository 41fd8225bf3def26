import Foundation
import Logging
import SQLiteNIO

/// The service's SQLite database (WAL): users, sessions, chat messages and events, mutes, audit log.
///
/// One connection; sqlite-nio runs every statement on its thread pool, off the async executors.
/// Schema changes are numbered migrations recorded in `PRAGMA user_version`.
public final class Database: Sendable {
    let connection: SQLiteConnection
    public let path: String

    /// Each entry brings the schema from version `index` to `index + 1`. Append only.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                role TEXT NOT NULL CHECK (role IN ('admin', 'dj')), password_hash TEXT NOT NULL,
                created_at REAL NOT NULL)
            """,
            """
            CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                created_at REAL NOT NULL, last_seen REAL NOT NULL)
            """,
            """
            CREATE TABLE chat_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, nickname TEXT NOT NULL, text TEXT NOT NULL,
                staff INTEGER NOT NULL DEFAULT 0, client TEXT NOT NULL, created_at REAL NOT NULL, deleted_at REAL)
            """,
            """
            CREATE TABLE chat_events (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL CHECK (kind IN ('chat', 'chat-delete')),
                message_id INTEGER NOT NULL REFERENCES chat_messages(id))
            """,
            "CREATE TABLE mutes (nickname TEXT PRIMARY KEY COLLATE NOCASE, until REAL NOT NULL, by TEXT NOT NULL)",
            """
            CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, actor TEXT NOT NULL,
                action TEXT NOT NULL, detail TEXT NOT NULL)
            """,
        ]
    ]

    static var schemaVersion: Int { migrations.count }

    private init(connection: SQLiteConnection, path: String) {
        self.connection = connection; self.path = path
    }

    /// Opens (creating the folder and file if needed) and migrates `DIR/onair-api.sqlite`.
    public static func open(dataDir: String, logger: Logger) async throws -> Database {
        do {
            try FileManager.default.createDirectory(
                atPath: dataDir, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw StorageError("cannot create the data directory \(dataDir): \(error.localizedDescription)")
        }
        let path = (dataDir as NSString).appendingPathComponent("onair-api.sqlite")
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw StorageError("cannot open the database \(path): \(error)")
        }
        let database = Database(connection: connection, path: path)
        do {
            _ = try await database.rows("PRAGMA journal_mode = WAL")
            _ = try await database.rows("PRAGMA foreign_keys = ON")
            _ = try await database.rows("PRAGMA busy_timeout = 5000")
            try await database.migrate(logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        return database
    }

    public func close() async {
        try? await connection.close()
    }

    /// Runs one statement and returns its rows.
    @discardableResult
    func rows(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        do {
            return try await connection.query(sql, binds)
        } catch {
            throw StorageError("database statement failed: \(error)")
        }
    }

    func migrate(logger: Logger) async throws {
        let current = try await rows("PRAGMA user_version").first?.column("user_version")?.integer ?? 0
        guard current <= Self.schemaVersion else {
            throw StorageError(
                "the database \(path) has schema version \(current), newer than this onair-api (\(Self.schemaVersion)); upgrade onair-api")
        }
        for version in current..<Self.schemaVersion {
            _ = try await rows("BEGIN IMMEDIATE")
            do {
                for statement in Self.migrations[version] { try await rows(statement) }
                try await rows("PRAGMA user_version = \(version + 1)")
                try await rows("COMMIT")
            } catch {
                _ = try? await rows("ROLLBACK")
                throw error
            }
            logger.info("database migrated", metadata: ["db.version": "\(version + 1)"])
        }
    }
}

/// A storage failure, with what went wrong.
public struct StorageError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension SQLiteRow {
    func int(_ name: String) -> Int { column(name)?.integer ?? 0 }
    func string(_ name: String) -> String { column(name)?.string ?? "" }
    func double(_ name: String) -> Double { column(name)?.double ?? 0 }
}
