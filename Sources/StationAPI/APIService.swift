import Foundation
import Hummingbird
import HummingbirdBcrypt
import Logging
import NIOCore
import NIOPosix

/// The service's state and the checks every route shares: who is signed in, whether a state
/// change comes from this site (Origin) as JSON (Content-Type), which client is asking (for rate limits).
final class APIService: Sendable {
    /// The cookie's name; `__Secure-onair_session` when `public_origin` is https (see docs/SECURITY.md).
    let sessionCookie: String
    /// A session ends after 12 h without requests, and 7 days after sign-in in any case.
    static let sessionIdle: TimeInterval = 12 * 3600
    static let sessionMaximum: TimeInterval = 7 * 86_400

    let config: APIConfig
    let database: Database
    let hub: EventHub
    let logger: Logger
    let bcryptCost: UInt8
    /// Sign-in attempts per client (`AddressKey`), and per client and existing user name: wrong
    /// passwords from one address never hold back the right one from another.
    let signInPerAddress = RateLimiter(burst: 10, interval: 6)
    let signInPerAddressAndUser = RateLimiter(burst: 5, interval: 30)
    let chatPerClient = RateLimiter(burst: 5, interval: 2)
    /// `nickname_reserved` answers per client: 3, then one per 5 minutes, so staff names cannot be listed.
    let reservedNamePerClient = RateLimiter(burst: 3, interval: 300)
    let moderation = ChatModeration()
    /// Verified against for unknown names, so they take as long as a wrong password.
    let dummyHash: String

    init(config: APIConfig, database: Database, hub: EventHub, logger: Logger, bcryptCost: UInt8 = 12) {
        self.config = config; self.database = database; self.hub = hub; self.logger = logger; self.bcryptCost = bcryptCost
        sessionCookie = config.publicOrigin?.hasPrefix("https://") == true ? "__Secure-onair_session" : "onair_session"
        dummyHash = Bcrypt.hash(Self.newToken(), cost: bcryptCost)
    }

    // MARK: Passwords (bcrypt, off the async executors)

    /// bcrypt's own threads: SQLite's statements run on NIO's shared pool, and under a flood of
    /// chat posts a sign-in queued there behind them (bcrypt takes ~0.25 s a check). Apart, a
    /// sign-in waits only for other sign-ins, and chat never waits for a password check.
    static let passwordPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    func hash(password: String) async throws -> String {
        let cost = bcryptCost
        return try await Self.passwordPool.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(password: String, hash: String) async throws -> Bool {
        try await Self.passwordPool.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Checked by `onair-api user` and the admin routes alike.
    static func passwordError(_ password: String) -> String? {
        if password.count < 8 { return "passwords need at least 8 characters" }
        if password.utf8.count > 72 { return "passwords are at most 72 bytes (bcrypt ignores the rest)" }
        if ChatRules.hasForbiddenCharacters(password) { return "passwords cannot contain control characters" }
        return nil
    }

    // MARK: Who is asking

    static func header(_ request: Request, _ name: String) -> String? {
        request.headers.first { $0.name.canonicalName == name }?.value
    }

    /// nginx's `X-Real-IP` when the TCP peer is this machine (nginx), else the peer's address.
    static func clientAddress(_ request: Request, context: APIRequestContext) -> String {
        let peer = context.remoteAddress?.ipAddress ?? "unknown"
        if peer == "127.0.0.1" || peer == "::1", let forwarded = header(request, "x-real-ip"), !forwarded.isEmpty, forwarded.count < 64 {
            return forwarded
        }
        return peer
    }

    /// What the per-client limits count under: the address, or its /64 for IPv6 (`AddressKey`).
    static func clientKey(_ request: Request, context: APIRequestContext) -> String {
        AddressKey.of(clientAddress(request, context: context))
    }

    /// Every state change (POST, DELETE) must come from this site and be JSON: `Origin` equal to
    /// `public_origin` or to the Host nginx forwards (never `X-Forwarded-Host`, which a client can
    /// send through nginx), and `Content-Type: application/json`, which no cross-site form can send.
    func requireStateChange(_ request: Request) throws {
        guard let origin = Self.header(request, "origin"), origin != "null" else { throw APIError.badOrigin }
        let fromPublic = config.publicOrigin.map { origin == $0 } ?? false
        let host = request.head.authority
        guard fromPublic || (host.map { origin == "http://\($0)" || origin == "https://\($0)" } ?? false) else {
            throw APIError.badOrigin
        }
        let type = Self.header(request, "content-type") ?? ""
        let media = type.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard media == "application/json" else { throw APIError.notJSON }
    }

    func sessionToken(_ request: Request) -> String? {
        guard let value = request.cookies[sessionCookie]?.value, value.count == 43 else { return nil }
        return value
    }

    /// The signed-in user, or nil.
    func currentUser(_ request: Request) async throws -> User? {
        guard let token = sessionToken(request) else { return nil }
        return try await database.sessionUser(
            tokenHash: SHA256.hex(token), now: Date(),
            idle: Self.sessionIdle, absolute: Self.sessionMaximum)
    }

    /// The signed-in user with one of `roles`; 401 without a session, 403 with the wrong role.
    func requireUser(_ request: Request, roles: Set<User.Role> = [.admin, .dj]) async throws -> User {
        guard let user = try await currentUser(request) else { throw APIError.signInRequired }
        guard roles.contains(user.role) else { throw APIError.forbidden }
        return user
    }

    /// A 256-bit random token, base64url without padding (43 characters).
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The session cookie, only for `/api` (the site and the stream behind nginx never see it):
    /// `HttpOnly; SameSite=Strict`, and `Secure` over https. Not `__Host-`: that prefix demands
    /// `Path=/` (docs/SECURITY.md says why `/api` was chosen).
    func sessionCookieHeader(_ token: String?, secure: Bool) -> String {
        let value = token ?? ""
        let age = token == nil ? 0 : Int(Self.sessionMaximum)
        let isSecure = secure || sessionCookie.hasPrefix("__Secure-")
        return "\(sessionCookie)=\(value); Path=/api; Max-Age=\(age); HttpOnly; SameSite=Strict" + (isSecure ? "; Secure" : "")
    }

    static func isHTTPS(_ request: Request) -> Bool {
        header(request, "x-forwarded-proto") == "https"
    }

    // MARK: Bodies and answers

    /// The body as `T`: at most 16 KB, valid UTF-8 and JSON, or a clear 4xx.
    func body<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: APIServer.maxBody)
        return try Self.decodeBody(T.self, from: Array(buffer.readableBytesView))
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try JSONEncoder.api.encode(value))))
    }
}
