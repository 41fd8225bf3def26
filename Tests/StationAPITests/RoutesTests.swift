import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import StationAPI

/// The routes through Hummingbird's in-memory test client, over a real SQLite file in a temporary folder.
@Suite struct RoutesTests {
    static let origin = "http://radio.test"
    /// What every state change needs: this site's Origin and a JSON body type.
    static let stateChange: HTTPFields = [.origin: origin, .contentType: "application/json"]

    func withApp(_ body: @Sendable (any TestClientProtocol, Database) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onair-api-\(UUID().uuidString)").path
        var config = APIConfig()
        config.dataDir = dir
        config.site = dir
        config.controlSocket = dir + "/missing.sock"
        config.publicOrigin = Self.origin
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let database = try await Database.open(dataDir: dir, logger: logger)
        let admin = UserAdmin(database: database, bcryptCost: 4)
        _ = try await admin.add(name: "dj1", role: .dj, password: "dj-secret-1")
        let app = APIServer.makeApplication(config: config, database: database, logger: logger, bcryptCost: 4)
        try await app.test(.router) { client in try await body(client, database) }
        await database.close()
        try? FileManager.default.removeItem(atPath: dir)
    }

    func json(_ object: [String: String]) -> ByteBuffer {
        ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    func decode(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
    }

    @Test func meAnswersWithNullUserWithoutSession() async throws {
        try await withApp { client, _ in
            try await client.execute(uri: "/api/me", method: .get) { response in
                #expect(response.status == .ok)
                let body = decode(response.body)
                #expect(body["user"] is NSNull)
            }
        }
    }

    @Test func unknownRouteIsJSON404() async throws {
        try await withApp { client, _ in
            try await client.execute(uri: "/api/nothing", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body) == #"{"code":"not_found","error":"no such API route"}"#)
            }
        }
    }

    @Test func signInNeedsOriginAndSetsAStrictCookie() async throws {
        try await withApp { client, database in
            let body = json(["username": "dj1", "password": "dj-secret-1"])
            try await client.execute(uri: "/api/session", method: .post, headers: [.contentType: "application/json"], body: body) { response in
                #expect(response.status == .forbidden)
                #expect(decode(response.body)["code"] as? String == "bad_origin")
            }
            try await client.execute(
                uri: "/api/session", method: .post,
                headers: [.contentType: "application/json", .origin: "https://evil.example"], body: body
            ) { response in
                #expect(response.status == .forbidden)
            }
            let cookie = try await client.execute(
                uri: "/api/session", method: .post,
                headers: [.contentType: "application/json", .origin: Self.origin], body: body
            ) { response in
                #expect(response.status == .ok)
                let header = response.headers[.setCookie] ?? ""
                #expect(header.contains("; Path=/api; Max-Age=604800; HttpOnly; SameSite=Strict"))
                #expect(!header.contains("Secure"))
                #expect(header.hasPrefix("onair_session="))
                return String(header.split(separator: ";")[0])
            }
            // Only the token's hash is stored.
            let token = String(cookie.dropFirst("onair_session=".count))
            let stored = try await database.rows("SELECT token_hash FROM sessions").map { $0.string("token_hash") }
            #expect(stored == [SHA256.hex(token)])
            try await client.execute(uri: "/api/me", method: .get, headers: [.cookie: cookie]) { response in
                let user = decode(response.body)["user"] as? [String: Any]
                #expect(user?["name"] as? String == "dj1")
            }
        }
    }

    @Test func wrongPasswordAndUnknownUserAnswerTheSame() async throws {
        try await withApp { client, _ in
            var answers: [String] = []
            for (name, password) in [("dj1", "wrong-password"), ("ghost", "wrong-password")] {
                try await client.execute(
                    uri: "/api/session", method: .post, headers: Self.stateChange,
                    body: json(["username": name, "password": password])
                ) { response in
                    #expect(response.status == .unauthorized)
                    answers.append(String(buffer: response.body))
                }
            }
            #expect(answers[0] == answers[1])
            #expect(answers[0] == #"{"code":"bad_credentials","error":"wrong username or password"}"#)
        }
    }

    @Test func signInIsRateLimitedPerUser() async throws {
        try await withApp { client, _ in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<6 {
                try await client.execute(
                    uri: "/api/session", method: .post, headers: Self.stateChange,
                    body: json(["username": "dj1", "password": "guess-guess"])
                ) { response in
                    statuses.append(response.status)
                }
            }
            #expect(statuses == Array(repeating: .unauthorized, count: 5) + [.tooManyRequests])
        }
    }

    @Test func chatPostIsStoredAndListed() async throws {
        try await withApp { client, _ in
            try await client.execute(
                uri: "/api/chat", method: .post, headers: Self.stateChange,
                body: json(["nickname": "owl", "text": "<b>hi</b>"])
            ) { response in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/api/chat", method: .get) { response in
                let messages = decode(response.body)["messages"] as? [[String: Any]] ?? []
                #expect(messages.count == 1)
                #expect(messages.first?["text"] as? String == "<b>hi</b>")
                #expect(messages.first?["staff"] as? Bool == false)
            }
        }
    }

    @Test func moderationNeedsASession() async throws {
        try await withApp { client, _ in
            try await client.execute(uri: "/api/chat/1", method: .delete, headers: Self.stateChange) { response in
                #expect(response.status == .unauthorized)
                #expect(decode(response.body)["code"] as? String == "sign_in_required")
            }
        }
    }
}
