import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

extension APIService {
    /// `GET /api/events`: Server-Sent Events. First the current `nowplaying`, then chat — the last 50
    /// messages on a fresh connection, or everything after `Last-Event-ID` (header, or
    /// `?last_event_id=` for a page that reopens the stream itself) — then live events and a
    /// heartbeat comment every 15 s.
    func events(_ request: Request, context: APIRequestContext) async throws -> Response {
        let resume = (Self.header(request, "last-event-id") ?? request.uri.queryParameters["last_event_id"].map(String.init))
            .flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard let subscription = await hub.subscribe() else {
            throw APIError(.serviceUnavailable, code: "too_many_listeners", "the event stream is full; the page falls back to polling")
        }
        let replay: [ChatEvent]
        do {
            replay = if let resume { try await database.chatEvents(after: max(0, resume)) } else { try await database.recentMessages(limit: 50) }
        } catch {
            await hub.unsubscribe(subscription.id)
            throw error
        }
        let replayed = replay.map(\.id).max() ?? resume ?? 0
        let nowPlaying = await hub.nowPlaying
        let hub = hub
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        if let name = HTTPField.Name("X-Accel-Buffering") { headers[name] = "no" }
        let body = ResponseBody { writer in
            var opening = "retry: 2000\n\n"
            if let nowPlaying { opening += nowPlaying.text }
            for event in replay { opening += Self.serverSentEvent(event).text }
            do {
                try await writer.write(ByteBuffer(string: opening))
                // SIGTERM ends the stream (the browser reconnects to the next instance).
                try await withGracefulShutdownHandler {
                    for await event in subscription.events {
                        if let id = event.id, id <= replayed { continue }
                        try await writer.write(ByteBuffer(string: event.text))
                    }
                } onGracefulShutdown: {
                    Task { await hub.unsubscribe(subscription.id) }
                }
            } catch {
                await hub.unsubscribe(subscription.id)
                throw error
            }
            await hub.unsubscribe(subscription.id)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
