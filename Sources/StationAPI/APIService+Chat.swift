import Foundation
import Hummingbird

extension APIService {
    struct ChatList: Encodable {
        var messages: [ChatMessage]
        var lastEventID: Int
        enum CodingKeys: String, CodingKey { case messages, lastEventID = "last_event_id" }
    }

    /// `GET /api/chat`: the last 50 visible messages, oldest first (`?after=ID`: only newer ones).
    func listChat(_ request: Request, context: APIRequestContext) async throws -> Response {
        let after = request.uri.queryParameters["after"].flatMap { Int(String($0)) } ?? 0
        let events = try await database.recentMessages(limit: 50, afterMessage: max(0, after))
        return try Self.json(ChatList(messages: events.map(\.message), lastEventID: try await database.lastChatEventID()))
    }

    /// `POST /api/chat`: no account needed; validated, rate limited per client, muted names and staff
    /// names refused. A client told 3 times that a name is staff's waits 5 minutes before it may
    /// post again at all, so the answer cannot be used to list the staff.
    func postChat(_ request: Request, context: APIRequestContext) async throws -> Response {
        try requireStateChange(request)
        let post = try await body(ChatPost.self, request)
        let client = Self.clientAddress(request, context: context)
        let key = AddressKey.of(client)
        try Self.refuseReservedProbing(await reservedNamePerClient.wait(key))
        let nickname = try ChatRules.nickname(post.nickname).get()
        let text = try ChatRules.text(post.text).get()
        let user = try await currentUser(request)
        if user?.name.lowercased() != nickname.lowercased(), try await database.user(named: nickname) != nil {
            try Self.refuseReservedProbing(await reservedNamePerClient.take(key))
            throw APIError(.conflict, code: "nickname_reserved", "'\(nickname)' belongs to the station's staff; pick another nickname")
        }
        if user == nil, let until = try await database.mutedUntil(nickname: nickname, now: Date()) {
            let minutes = Int((until.timeIntervalSinceNow / 60).rounded(.up))
            throw APIError(.forbidden, code: "muted", "'\(nickname)' is muted for \(minutes) more minute\(minutes == 1 ? "" : "s")")
        }
        if let wait = await chatPerClient.take(key) {
            let seconds = Int(wait.rounded(.up))
            var error = APIError(.tooManyRequests, code: "rate_limited", "you are sending messages too fast; wait \(seconds) s")
            error.headers[.retryAfter] = "\(seconds)"
            throw error
        }
        if user == nil, let wait = await moderation.admit(key) {
            var error = APIError(.tooManyRequests, code: "slow_mode", "slow mode is on; wait \(wait) s before your next message")
            error.headers[.retryAfter] = "\(wait)"
            throw error
        }
        let event = try await database.addMessage(nickname: nickname, text: text, staff: user != nil, client: client, now: Date())
        await hub.publish(Self.serverSentEvent(event))
        return try Self.json(event.message, status: .created)
    }

    static func refuseReservedProbing(_ wait: TimeInterval?) throws {
        guard let wait else { return }
        let seconds = Int(wait.rounded(.up))
        var error = APIError(
            .tooManyRequests, code: "rate_limited",
            "too many tries with the staff's nicknames; wait \(seconds) s and pick a nickname of your own")
        error.headers[.retryAfter] = "\(seconds)"
        throw error
    }

    /// `DELETE /api/chat/ID` (DJ or admin): the message disappears for everyone.
    func deleteChat(_ request: Request, context: APIRequestContext) async throws -> Response {
        try requireStateChange(request)
        let user = try await requireUser(request)
        guard let id = context.parameters.get("id").flatMap({ Int($0) }), id > 0 else {
            throw APIError.badRequest("bad_id", "message ids are positive numbers")
        }
        guard let event = try await database.deleteMessage(id: id, now: Date()) else {
            throw APIError(.notFound, code: "no_such_message", "there is no message \(id) (already deleted?)")
        }
        await hub.publish(Self.serverSentEvent(event))
        try await database.audit(
            actor: user.name, action: "chat-delete",
            detail: "message \(id) by '\(event.message.nickname)': \(event.message.text.prefix(80))")
        return try Self.json(["deleted": id])
    }

    /// `POST /api/chat/mute` (DJ or admin): a nickname may not post for N minutes (1–10080).
    func muteChat(_ request: Request, context: APIRequestContext) async throws -> Response {
        try requireStateChange(request)
        let user = try await requireUser(request)
        let body = try await body(MuteRequest.self, request)
        let nickname = try ChatRules.nickname(body.nickname).get()
        guard (1...10_080).contains(body.minutes) else {
            throw APIError.badRequest("bad_minutes", "mute for 1 to 10080 minutes (a week)")
        }
        let until = Date().addingTimeInterval(TimeInterval(body.minutes * 60))
        try await database.mute(nickname: nickname, until: until, by: user.name)
        try await database.audit(actor: user.name, action: "chat-mute", detail: "'\(nickname)' for \(body.minutes) min")
        return try Self.json(["muted": nickname, "until": ISO8601DateFormatter().string(from: until)])
    }

    /// `POST /api/chat/slow` (DJ or admin): slow mode, seconds between a listener's messages (0 = off, at most 600).
    func slowMode(_ request: Request, context: APIRequestContext) async throws -> Response {
        try requireStateChange(request)
        let user = try await requireUser(request)
        let body = try await body(SlowModeRequest.self, request)
        guard (0...600).contains(body.seconds) else {
            throw APIError.badRequest("bad_seconds", "slow mode takes 0 (off) to 600 seconds")
        }
        await moderation.setSlowMode(body.seconds)
        try await database.audit(actor: user.name, action: "chat-slow-mode", detail: body.seconds == 0 ? "off" : "\(body.seconds) s")
        return try Self.json(["slow_mode": body.seconds])
    }

    /// A chat event as it goes on the wire: `chat` carries the message, `chat-delete` only its id.
    static func serverSentEvent(_ event: ChatEvent) -> ServerSentEvent {
        let data: Data?
        switch event.kind {
        case .chat: data = try? JSONEncoder.api.encode(event.message)
        case .chatDelete: data = try? JSONEncoder.api.encode(["id": event.message.id])
        }
        return ServerSentEvent(event: event.kind.rawValue, id: event.id, data: String(decoding: data ?? Data("{}".utf8), as: UTF8.self))
    }
}
