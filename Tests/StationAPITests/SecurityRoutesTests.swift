import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import StationKit
import Testing

@testable import StationAPI

/// docs/SECURITY.md through a live server on loopback (so `X-Real-IP` is trusted, as from nginx):
/// each test is one point of the review, and fails without its fix.
@Suite struct SecurityRoutesTests {
    static let origin = "http://radio.test"

    func withLiveApp(
        publicOrigin: String = Self.origin,
        _ body: @Sendable (any TestClientProtocol, APIService) async throws -> Void
    ) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onair-api-sec-\(UUID().uuidString)").path
        var config = APIConfig()
        config.dataDir = dir
        config.site = dir
        config.controlSocket = dir + "/missing.sock"
        config.publicOrigin = publicOrigin
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let database = try await Database.open(dataDir: dir, logger: logger)
        _ = try await UserAdmin(database: database, bcryptCost: 4).add(name: "owner", role: .admin, password: "owner-secret-1")
        let service = APIService(config: config, database: database, hub: EventHub(logger: logger), logger: logger, bcryptCost: 4)
        try await APIServer.makeApplication(service: service).test(.live) { client in try await body(client, service) }
        await database.close()
        try? FileManager.default.removeItem(atPath: dir)
    }

    func json(_ object: [String: String]) -> ByteBuffer {
        ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    func fields(from address: String, type: String? = "application/json", origin: String = Self.origin) -> HTTPFields {
        var fields: HTTPFields = [.origin: origin]
        fields[HTTPField.Name("X-Real-IP")!] = address
        if let type { fields[.contentType] = type }
        return fields
    }

    func code(_ response: TestResponse) -> String? {
        ((try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any])?["code"] as? String
    }

    func signIn(_ client: any TestClientProtocol, _ name: String, _ password: String, from address: String) async throws -> (
        HTTPResponse.Status, String?
    ) {
        try await client.execute(
            uri: "/api/session", method: .post, headers: fields(from: address),
            body: json(["username": name, "password": password])
        ) { ($0.status, code($0)) }
    }

    @Test func wrongPasswordsFromOneAddressNeverLockTheOwnerOutOfAnother() async throws {
        try await withLiveApp { client, _ in
            for _ in 0..<5 {
                let wrong = try await signIn(client, "owner", "guess-guess", from: "198.51.100.7")
                #expect(wrong == (.unauthorized, "bad_credentials"))
            }
            let sixth = try await signIn(client, "owner", "guess-guess", from: "198.51.100.7")
            #expect(sixth == (.tooManyRequests, "rate_limited"))
            let elsewhere = try await signIn(client, "owner", "owner-secret-1", from: "203.0.113.5")
            #expect(elsewhere == (.ok, nil))
            // The same /64 is the same client; another /64 is another.
            for _ in 0..<5 { _ = try await signIn(client, "owner", "guess-guess", from: "2001:db8:1:2::1") }
            let sameNetwork = try await signIn(client, "owner", "owner-secret-1", from: "2001:db8:1:2::ff")
            #expect(sameNetwork.0 == .tooManyRequests)
            let otherNetwork = try await signIn(client, "owner", "owner-secret-1", from: "2001:db8:1:3::1")
            #expect(otherNetwork.0 == .ok)
        }
    }

    @Test func unknownUserNamesNeverBecomeLimiterKeys() async throws {
        try await withLiveApp { client, service in
            for i in 0..<8 { _ = try await signIn(client, "ghost-\(i)", "guess-guess", from: "198.51.100.\(i)") }
            _ = try await signIn(client, "bad\nname", "guess-guess", from: "198.51.100.9")
            #expect(await service.signInPerAddressAndUser.count == 0)
            _ = try await signIn(client, "OWNER", "guess-guess", from: "198.51.100.1")
            #expect(await service.signInPerAddressAndUser.count == 1)
        }
    }

    @Test func staffNamesCannotBeListedThroughChatPosts() async throws {
        try await withLiveApp { client, _ in
            func post(_ nickname: String, from address: String) async throws -> (HTTPResponse.Status, String?) {
                try await client.execute(
                    uri: "/api/chat", method: .post, headers: fields(from: address),
                    body: json(["nickname": nickname, "text": "hi"])
                ) { ($0.status, code($0)) }
            }
            for name in ["Owner", "owner", "OWNER"] {
                let answer = try await post(name, from: "198.51.100.20")
                #expect(answer == (.conflict, "nickname_reserved"))
            }
            // The fourth probe, staff name or not, learns nothing: the address waits.
            let fourth = try await post("admin", from: "198.51.100.20")
            let fifth = try await post("nobody-here", from: "198.51.100.20")
            #expect(fourth == (.tooManyRequests, "rate_limited") && fifth == (.tooManyRequests, "rate_limited"))
            // Other listeners post as before, and still cannot be staff.
            let listener = try await post("owl", from: "198.51.100.21")
            let impostor = try await post("owner", from: "198.51.100.21")
            #expect(listener == (.created, nil) && impostor == (.conflict, "nickname_reserved"))
        }
    }

    @Test(arguments: [nil, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"])
    func stateChangesMustBeJSON(type: String?) async throws {
        try await withLiveApp { client, service in
            try await client.execute(
                uri: "/api/chat", method: .post, headers: fields(from: "198.51.100.30", type: type),
                body: json(["nickname": "owl", "text": "hi"])
            ) { response in
                #expect(response.status == .unsupportedMediaType)
                #expect(
                    String(buffer: response.body)
                        == #"{"code":"unsupported_media_type","error":"send the request as JSON (Content-Type: application/json)"}"#)
            }
            try await client.execute(uri: "/api/chat/1", method: .delete, headers: fields(from: "198.51.100.30", type: type)) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            #expect(try await service.database.recentMessages().isEmpty)
            try await client.execute(
                uri: "/api/chat", method: .post,
                headers: fields(from: "198.51.100.30", type: "Application/JSON; charset=utf-8"),
                body: json(["nickname": "owl", "text": "hi"])
            ) { #expect($0.status == .created) }
        }
    }

    @Test func xForwardedHostIsNotTrusted() async throws {
        try await withLiveApp { client, _ in
            var headers = fields(from: "198.51.100.40", origin: "https://evil.example")
            headers[HTTPField.Name("X-Forwarded-Host")!] = "evil.example"
            try await client.execute(
                uri: "/api/chat", method: .post, headers: headers,
                body: json(["nickname": "owl", "text": "hi"])
            ) { response in
                #expect(response.status == .forbidden && code(response) == "bad_origin")
            }
        }
    }

    @Test func overHTTPSTheCookieIsSecureAndPrefixedAndOnlyForTheAPI() async throws {
        try await withLiveApp(publicOrigin: "https://radio.test") { client, _ in
            let cookie = try await client.execute(
                uri: "/api/session", method: .post,
                headers: fields(from: "198.51.100.50", origin: "https://radio.test"),
                body: json(["username": "owner", "password": "owner-secret-1"])
            ) { response in
                #expect(response.status == .ok)
                let header = response.headers[.setCookie] ?? ""
                #expect(header.hasPrefix("__Secure-onair_session="))
                #expect(header.hasSuffix("; Path=/api; Max-Age=604800; HttpOnly; SameSite=Strict; Secure"))
                return String(header.split(separator: ";")[0])
            }
            try await client.execute(uri: "/api/me", method: .get, headers: [.cookie: cookie]) { response in
                #expect(String(buffer: response.body).contains(#""name":"owner""#))
            }
        }
    }

    @Test func chatKeepDaysIsReadAndChecked() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onair-api-keep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("onair-api.yaml").path
        try "chat:\n  keep_days: 7\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try APIConfig.load(path: path).chatKeepDays == 7)
        try "site: ./site\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try APIConfig.load(path: path).chatKeepDays == 30)
        try "chat: { keep_days: 0 }\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: ConfigError.self) { try APIConfig.load(path: path) }
        #expect(error?.description == "\(path):1: 'chat.keep_days' must be a number of days from 1 to 3650, not '0'")
    }
}
