import Foundation
import Logging
import StationKit
import Testing

@testable import StationAPI

/// What the studio tells a DJ to type into BUTT: the shared user, or with `accounts: true` (Icecast
/// asks onair-api through stream_auth) the DJ's own account name. Never a password.
@Suite struct SourceClientTests {
    private func service(_ yaml: String) async throws -> (APIService, Database, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onair-src-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/onair-api.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try APIConfig.load(path: path)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let database = try await Database.open(dataDir: dir + "/data", logger: logger)
        let service = APIService(config: config, database: database, hub: EventHub(logger: logger), logger: logger, bcryptCost: 4)
        return (service, database, dir)
    }

    private let dj = User(id: 3, name: "ronja", role: .dj, createdAt: Date(timeIntervalSince1970: 0))

    @Test func theSharedUserUnlessAccountsAreOn() async throws {
        let (shared, db1, dir1) = try await service("source_client:\n  server: radio.example\n  port: 8000\n")
        #expect(shared.sourceClientSettings(for: dj).user == "source")
        #expect(shared.sourceClientSettings(for: dj).accounts == false)
        let (own, db2, dir2) = try await service("source_client:\n  mount: /dj\n  accounts: true\n")
        let settings = own.sourceClientSettings(for: dj)
        #expect(settings.user == "ronja")
        #expect(settings.accounts)
        let encoded = String(decoding: try JSONEncoder.api.encode(settings), as: UTF8.self)
        #expect(encoded.contains(#""accounts":true"#) && !encoded.contains("password"))
        await db1.close()
        await db2.close()
        try? FileManager.default.removeItem(atPath: dir1)
        try? FileManager.default.removeItem(atPath: dir2)
    }

    @Test func accountsMustBeTrueOrFalse() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onair-src-\(UUID().uuidString).yaml").path
        try "source_client:\n  accounts: maybe\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { _ = try APIConfig.load(path: path) }
        try? FileManager.default.removeItem(atPath: path)
    }
}
