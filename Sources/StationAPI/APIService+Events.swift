import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle

extension APIService {
    /// How far back a resume reaches, in chat events.
    static let resumeWindow = 500
    /// The shortest time between two writes to one event stream.
    static let eventWriteInterval: Duration = .milliseconds(100)

    /// `GET /api/events`: Server-Sent Events. First the current `nowplaying`, then chat — the last 50
    /// messages on a fresh connection, or the events after `Last-Event-ID` (header, or
    /// `?last_event_id=` for a page that reopens the stream itself; at most the newest 500, and a
    /// deleted message only as its `chat-delete`) — then live events and a heartbeat comment every 15 s.
    /// One client address holds at most 20 streams (429 `too_many_streams`).
    func events(_ request: Request, context: APIRequestContext) async throws -> Response {
        let resume = (Self.header(request, "last-event-id") ?? request.uri.queryParameters["last_event_id"].map(String.init))
            .flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let subscription = try await hub.subscribe(client: Self.clientKey(request, context: context))
        let replay: [ChatEvent]
        let replayed: Int
        do {
            if let resume {
                // An id from the future (another database, a forged header) resumes from now, so live events still pass.
                let last = try await database.lastChatEventID()
                let from = min(max(0, resume), last)
                replay = try await database.chatEvents(after: from, window: Self.resumeWindow)
                replayed = replay.map(\.id).max() ?? from
            } else {
                replay = try await database.recentMessages(limit: 50)
                replayed = replay.map(\.id).max() ?? 0
            }
        } catch {
            await hub.unsubscribe(subscription.id)
            throw error
        }
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
                    // Whatever waits goes out in one write, and a stream writes at most every
                    // `eventWriteInterval`: an event after a quiet spell goes at once, a burst
                    // (a busy chat: every post is a write to every stream) in a few writes.
                    while let batch = await subscription.events.next() {
                        let fresh = batch.filter { event in event.id.map { $0 > replayed } ?? true }
                        if fresh.count == 1 {
                            try await writer.write(fresh[0].bytes)
                        } else if !fresh.isEmpty {
                            var bytes = ByteBuffer()
                            bytes.reserveCapacity(fresh.reduce(0) { $0 + $1.bytes.readableBytes })
                            for event in fresh { bytes.writeImmutableBuffer(event.bytes) }
                            try await writer.write(bytes)
                        }
                        try await Task.sleep(for: Self.eventWriteInterval)
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
