import Foundation
import Logging
import ServiceLifecycle

/// Fans events out to every open `/api/events` stream. Each subscriber has a bounded queue; one
/// that falls 256 events behind is closed, and its browser reconnects with `Last-Event-ID` and
/// catches up from the database. Sends a heartbeat comment every 15 s so proxies keep the line open
/// and dead connections are noticed.
actor EventHub: Service {
    static let queueLimit = 256
    let maxSubscribers: Int
    let heartbeat: Duration
    private var subscribers: [Int: AsyncStream<ServerSentEvent>.Continuation] = [:]
    private var nextID = 0
    /// The newest `nowplaying` event, sent first to every new subscriber.
    private(set) var nowPlaying: ServerSentEvent?
    private let logger: Logger

    init(logger: Logger, maxSubscribers: Int = 10_000, heartbeat: Duration = .seconds(15)) {
        self.logger = logger; self.maxSubscribers = maxSubscribers; self.heartbeat = heartbeat
    }

    var count: Int { subscribers.count }

    /// A new subscription, or nil when the service is full.
    func subscribe() -> (id: Int, events: AsyncStream<ServerSentEvent>)? {
        guard subscribers.count < maxSubscribers else { return nil }
        nextID += 1
        let id = nextID
        let (stream, continuation) = AsyncStream.makeStream(of: ServerSentEvent.self,
                                                            bufferingPolicy: .bufferingOldest(Self.queueLimit))
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        subscribers[id] = continuation
        return (id, stream)
    }

    func unsubscribe(_ id: Int) {
        subscribers.removeValue(forKey: id)?.finish()
    }

    func publish(_ event: ServerSentEvent) {
        if event.event == "nowplaying" { nowPlaying = event }
        for (id, continuation) in subscribers {
            if case .dropped = continuation.yield(event) {
                logger.notice("event stream fell behind; closing it so the browser resumes", metadata: ["sse.subscriber": "\(id)"])
                subscribers.removeValue(forKey: id)
                continuation.finish()
            }
        }
    }

    func finishAll() {
        for continuation in subscribers.values { continuation.finish() }
        subscribers.removeAll()
    }

    func run() async throws {
        let heartbeat = heartbeat
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: heartbeat)
                await self.publish(.heartbeat)
            }
        }
        finishAll()
    }
}
