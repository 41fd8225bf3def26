import Foundation
import Logging
import ServiceLifecycle

/// Fans events out to every open `/api/events` stream. Each subscriber has a bounded queue (an
/// `EventMailbox`, which its writer empties in one write); one that falls 256 events behind is closed, and its browser reconnects with `Last-Event-ID` and
/// catches up from the database. Sends a heartbeat comment every 15 s so proxies keep the line open
/// and dead connections are noticed. One client address (IPv6: its /64) holds at most
/// `maxPerClient` streams, so one host cannot take every slot (or every file descriptor).
actor EventHub: Service {
    static let queueLimit = 256
    let maxSubscribers: Int
    let maxPerClient: Int
    let heartbeat: Duration
    private var subscribers: [Int: EventMailbox] = [:]
    /// Each subscription's client key, and how many streams each key has open.
    private var clientOf: [Int: String] = [:]
    private var perClient: [String: Int] = [:]
    private var nextID = 0
    /// The newest `nowplaying` event, sent first to every new subscriber.
    private(set) var nowPlaying: ServerSentEvent?
    private let logger: Logger

    init(logger: Logger, maxSubscribers: Int = 10_000, maxPerClient: Int = 20, heartbeat: Duration = .seconds(15)) {
        self.logger = logger; self.maxSubscribers = maxSubscribers; self.maxPerClient = maxPerClient; self.heartbeat = heartbeat
    }

    var count: Int { subscribers.count }

    /// Streams open for `client` (an `AddressKey`).
    func count(client: String) -> Int { perClient[client] ?? 0 }

    /// A new subscription for `client` (an `AddressKey`); 503 when the service is full, 429 when
    /// this client already holds `maxPerClient` streams.
    func subscribe(client: String) throws(APIError) -> (id: Int, events: EventMailbox) {
        guard subscribers.count < maxSubscribers else {
            throw APIError(.serviceUnavailable, code: "too_many_listeners", "the event stream is full; the page falls back to polling")
        }
        guard perClient[client, default: 0] < maxPerClient else {
            throw APIError(
                .tooManyRequests, code: "too_many_streams",
                "this address has \(maxPerClient) event streams open already; close a tab and try again")
        }
        perClient[client, default: 0] += 1
        nextID += 1
        let id = nextID
        let mailbox = EventMailbox(limit: Self.queueLimit)
        subscribers[id] = mailbox
        clientOf[id] = client
        return (id, mailbox)
    }

    func unsubscribe(_ id: Int) {
        remove(id)?.finish()
    }

    /// Forgets subscription `id` and its client's count; returns its mailbox if it was there.
    private func remove(_ id: Int) -> EventMailbox? {
        if let client = clientOf.removeValue(forKey: id) {
            let left = (perClient[client] ?? 1) - 1
            perClient[client] = left > 0 ? left : nil
        }
        return subscribers.removeValue(forKey: id)
    }

    func publish(_ event: ServerSentEvent) {
        if event.event == "nowplaying" { nowPlaying = event }
        for (id, mailbox) in subscribers where !mailbox.put(event) {
            logger.notice("event stream fell behind; closing it so the browser resumes", metadata: ["sse.subscriber": "\(id)"])
            _ = remove(id)
            mailbox.finish()
        }
    }

    func finishAll() {
        for mailbox in subscribers.values { mailbox.finish() }
        subscribers.removeAll()
        clientOf.removeAll()
        perClient.removeAll()
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
