import Foundation
import Hummingbird

extension APIService {
    struct Me: Encodable {
        var user: User?
        var chat: ChatSettings
        enum CodingKeys: String, CodingKey { case user, chat }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(user, forKey: .user); try c.encode(chat, forKey: .chat)
        }
    }

    struct ChatSettings: Encodable {
        var maxLength = ChatRules.maxText
        var maxNickname = ChatRules.maxNickname
        var slowMode: Int
        enum CodingKeys: String, CodingKey { case maxLength = "max_length", maxNickname = "max_nickname", slowMode = "slow_mode" }
    }

    /// `GET /api/me`: always 200 (the pages probe it); `user` is null when not signed in.
    func me(_ request: Request, context: APIRequestContext) async throws -> Response {
        let user = try await currentUser(request)
        return try Self.json(Me(user: user, chat: ChatSettings(slowMode: await moderation.slowSeconds)))
    }

    static let badCredentials = APIError(.unauthorized, code: "bad_credentials", "wrong username or password")

    /// `POST /api/session`: signs in; one answer for unknown name and wrong password. Rate limited
    /// per client address, and per client address and user name for names that exist (an unknown
    /// name never becomes a limiter key), so nobody can lock the owner out from another address.
    func signIn(_ request: Request, context: APIRequestContext) async throws -> Response {
        try requireStateChange(request)
        let body = try await body(SignIn.self, request)
        let client = Self.clientAddress(request, context: context)
        let key = AddressKey.of(client)
        let name = body.username.trimmingCharacters(in: .whitespaces).lowercased()
        try Self.refuseIfLimited(await signInPerAddress.take(key))
        let found = User.validationError(name: name) == nil ? try await database.credentials(named: name) : nil
        if let user = found?.0 {
            try Self.refuseIfLimited(await signInPerAddressAndUser.take(key + " " + user.name.lowercased()))
        }
        let valid = try await verify(password: body.password, hash: found?.1 ?? dummyHash)
        guard valid, let user = found?.0 else {
            logger.notice("sign-in refused", metadata: ["user.name": "\(LogText.escaped(name, limit: 32))", "client.address": "\(client)"])
            throw Self.badCredentials
        }
        // Rotation: whatever session the browser had is ended; a new token is issued.
        if let old = sessionToken(request) { try await database.deleteSession(tokenHash: SHA256.hex(old)) }
        let token = Self.newToken()
        try await database.createSession(tokenHash: SHA256.hex(token), userID: user.id, now: Date())
        try await database.deleteExpiredSessions(now: Date(), idle: Self.sessionIdle, absolute: Self.sessionMaximum)
        try await database.audit(actor: user.name, action: "sign-in", detail: "from \(client)")
        logger.info("signed in", metadata: ["user.name": "\(user.name)", "client.address": "\(client)"])
        var headers = HTTPFields()
        headers[.setCookie] = sessionCookieHeader(token, secure: Self.isHTTPS(request))
        return try Self.json(Me(user: user, chat: ChatSettings(slowMode: await moderation.slowSeconds)), headers: headers)
    }

    static func refuseIfLimited(_ wait: TimeInterval?) throws {
        guard let wait else { return }
        let seconds = Int(wait.rounded(.up))
        var error = APIError(.tooManyRequests, code: "rate_limited", "too many sign-in attempts; try again in \(seconds) s")
        error.headers[.retryAfter] = "\(seconds)"
        throw error
    }

    /// `DELETE /api/session`: signs out (the session is deleted, the cookie cleared).
    func signOut(_ request: Request, context: APIRequestContext) async throws -> Response {
        try requireStateChange(request)
        let user = try await requireUser(request)
        if let token = sessionToken(request) { try await database.deleteSession(tokenHash: SHA256.hex(token)) }
        try await database.audit(actor: user.name, action: "sign-out", detail: "")
        var headers = HTTPFields()
        headers[.setCookie] = sessionCookieHeader(nil, secure: Self.isHTTPS(request))
        return try Self.json(["signed_out": true], headers: headers)
    }
}
