import Foundation
import Hummingbird

extension APIService {
    struct SignIn: ExampleBody {
        var username: String
        var password: String
        static let example = #"{"username": "sam", "password": "..."}"#
    }

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

    /// `POST /api/session`: signs in; rate limited per address and per name; one answer for unknown name and wrong password.
    func signIn(_ request: Request, context: APIRequestContext) async throws -> Response {
        try requireSameOrigin(request)
        let body = try await body(SignIn.self, request)
        let client = Self.clientAddress(request, context: context)
        let name = body.username.trimmingCharacters(in: .whitespaces).lowercased()
        for wait in [await signInPerAddress.take(client), await signInPerUser.take(name)].compactMap({ $0 }) {
            var error = APIError(.tooManyRequests, code: "rate_limited",
                                 "too many sign-in attempts; try again in \(Int(wait.rounded(.up))) s")
            error.headers[.retryAfter] = "\(Int(wait.rounded(.up)))"
            throw error
        }
        let found = try await database.credentials(named: name)
        let valid = try await verify(password: body.password, hash: found?.1 ?? dummyHash)
        guard valid, let user = found?.0 else {
            logger.notice("sign-in refused", metadata: ["user.name": "\(name.prefix(32))", "client.address": "\(client)"])
            throw Self.badCredentials
        }
        // Rotation: whatever session the browser had is ended; a new token is issued.
        if let old = Self.sessionToken(request) { try await database.deleteSession(tokenHash: SHA256.hex(old)) }
        let token = Self.newToken()
        try await database.createSession(tokenHash: SHA256.hex(token), userID: user.id, now: Date())
        try await database.deleteExpiredSessions(now: Date(), idle: Self.sessionIdle, absolute: Self.sessionMaximum)
        try await database.audit(actor: user.name, action: "sign-in", detail: "from \(client)")
        logger.info("signed in", metadata: ["user.name": "\(user.name)", "client.address": "\(client)"])
        var headers = HTTPFields()
        headers[.setCookie] = Self.sessionCookieHeader(token, secure: Self.isHTTPS(request))
        return try Self.json(Me(user: user, chat: ChatSettings(slowMode: await moderation.slowSeconds)), headers: headers)
    }

    /// `DELETE /api/session`: signs out (the session is deleted, the cookie cleared).
    func signOut(_ request: Request, context: APIRequestContext) async throws -> Response {
        try requireSameOrigin(request)
        let user = try await requireUser(request)
        if let token = Self.sessionToken(request) { try await database.deleteSession(tokenHash: SHA256.hex(token)) }
        try await database.audit(actor: user.name, action: "sign-out", detail: "")
        var headers = HTTPFields()
        headers[.setCookie] = Self.sessionCookieHeader(nil, secure: Self.isHTTPS(request))
        return try Self.json(["signed_out": true], headers: headers)
    }
}
