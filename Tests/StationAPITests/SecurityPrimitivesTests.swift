import Foundation
import Logging
import Testing

@testable import StationAPI

/// The pieces behind docs/SECURITY.md, one by one.
@Suite struct SecurityPrimitivesTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test(arguments: ["\u{2028}", "\u{2029}", "\u{85}", "\u{B}", "\u{C}"])
    func unicodeLineBreaksStayInsideOneDataLine(separator: String) throws {
        let json = #"{"text":"one\#(separator)two"}"#
        let event = ServerSentEvent(event: "chat", id: 3, data: json)
        #expect(event.text == "event: chat\nid: 3\ndata: \(json)\n\n")
    }

    @Test func onlyCRAndLFSplitData() {
        let event = ServerSentEvent(event: nil, id: nil, data: "a\rb\nc\r\nd\n\ne")
        #expect(event.text == "data: a\ndata: b\ndata: c\ndata: d\ndata: \ndata: e\n\n")
        #expect(ServerSentEvent.lines("") == [""])
        #expect(ServerSentEvent.lines("x\r") == ["x", ""])
    }

    @Test(arguments: [
        ("sam", "sam"), ("evil\nFAKE line", "evil\\u{a}FAKE line"), ("cr\r\nlf", "cr\\u{d}\\u{a}lf"),
        ("sep\u{2028}x", "sep\\u{2028}x"), ("esc\u{1B}[31m", "esc\\u{1b}[31m"), ("back\\slash", "back\\\\slash"),
        ("rtl\u{202E}x", "rtl\\u{202e}x"),
    ])
    func logTextEscapesEveryLineBreakAndControl(raw: String, logged: String) {
        #expect(LogText.escaped(raw) == logged)
    }

    @Test func logTextIsCut() {
        #expect(LogText.escaped(String(repeating: "a", count: 100), limit: 32) == String(repeating: "a", count: 32) + "…")
    }

    @Test(arguments: [
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::9", "2001:db8:1:2::/64"),
        ("2001:0DB8:0001:0002:ffff::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("::1", "0:0:0:0::/64"),
        ("fe80::1%eth0", "fe80:0:0:0::/64"),
        ("unknown", "unknown"),
    ])
    func ipv6AddressesAreCountedByTheirSlash64(address: String, key: String) {
        #expect(AddressKey.of(address) == key)
    }

    @Test func idleBucketsAreDroppedWithTime() async {
        let limiter = RateLimiter(burst: 2, interval: 10)
        let start = Date(timeIntervalSince1970: 1_000)
        for i in 0..<100 { _ = await limiter.take("client-\(i)", now: start) }
        #expect(await limiter.count == 100)
        // 20 s later every bucket is full again; the next take (a minute on) drops them all.
        _ = await limiter.take("late", now: start.addingTimeInterval(61))
        #expect(await limiter.count == 1)
    }

    @Test func keysStayBoundedUnderAFloodOfNewKeys() async {
        let limiter = RateLimiter(burst: 5, interval: 60, maxKeys: 100)
        let start = Date(timeIntervalSince1970: 1_000)
        for i in 0..<1_000 {
            _ = await limiter.take("flood-\(i)", now: start.addingTimeInterval(Double(i) / 1000))
            #expect(await limiter.count <= 100)
        }
        // The most recent keys keep their state.
        for _ in 0..<4 { _ = await limiter.take("flood-999", now: start.addingTimeInterval(1)) }
        #expect(await limiter.take("flood-999", now: start.addingTimeInterval(1)) != nil)
    }

    @Test func eventStreamsAreCappedPerClient() async throws {
        let hub = EventHub(logger: logger, maxSubscribers: 100, maxPerClient: 2)
        let first = try await hub.subscribe(client: "192.0.2.1")
        _ = try await hub.subscribe(client: "192.0.2.1")
        let refused = await #expect(throws: APIError.self) { _ = try await hub.subscribe(client: "192.0.2.1") }
        #expect(refused?.status == .tooManyRequests && refused?.code == "too_many_streams")
        _ = try await hub.subscribe(client: "192.0.2.2")  // another address is not affected
        await hub.unsubscribe(first.id)
        #expect(await hub.count(client: "192.0.2.1") == 1)
        _ = try await hub.subscribe(client: "192.0.2.1")
        let full = EventHub(logger: logger, maxSubscribers: 1, maxPerClient: 5)
        _ = try await full.subscribe(client: "a")
        let error = await #expect(throws: APIError.self) { _ = try await full.subscribe(client: "b") }
        #expect(error?.code == "too_many_listeners")
    }

    @Test func nicknamesAreCappedInBytesToo() {
        let zalgo = "a" + String(repeating: "\u{301}", count: 40)  // one character, 81 bytes
        guard case .failure(let error) = ChatRules.nickname(zalgo) else { Issue.record("accepted"); return }
        #expect(error.code == "nickname_too_long" && error.message == "nicknames are at most 24 characters (64 bytes)")
        #expect((try? ChatRules.nickname(String(repeating: "é", count: 24)).get()) != nil)  // 48 bytes
    }
}

@Suite struct ChatHistoryTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    func open() async throws -> (Database, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onair-api-chat-\(UUID().uuidString)").path
        return (try await Database.open(dataDir: dir, logger: logger), dir)
    }

    @Test func aResumeNeverCarriesADeletedMessagesText() async throws {
        let (database, dir) = try await open(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let kept = try await database.addMessage(nickname: "owl", text: "kept", staff: false, client: "a", now: Date())
        let gone = try await database.addMessage(nickname: "troll", text: "secret insult", staff: false, client: "b", now: Date())
        let deletion = try #require(try await database.deleteMessage(id: gone.message.id, now: Date()))
        for after in [0, kept.id] {
            let events = try await database.chatEvents(after: after)
            #expect(!events.contains { $0.message.text.contains("insult") || $0.message.nickname == "troll" })
            #expect(events.last?.kind == .chatDelete && events.last?.id == deletion.id && events.last?.message.id == gone.message.id)
            let wire = events.map { APIService.serverSentEvent($0).text }.joined()
            #expect(!wire.contains("insult") && wire.contains(#"data: {"id":\#(gone.message.id)}"#))
        }
        #expect(try await database.chatEvents(after: 0).first == kept)
        await database.close()
    }

    @Test func aResumeReachesBackOnlyTheWindow() async throws {
        let (database, dir) = try await open(); defer { try? FileManager.default.removeItem(atPath: dir) }
        for i in 0..<30 { _ = try await database.addMessage(nickname: "n", text: "m\(i)", staff: false, client: "a", now: Date()) }
        let events = try await database.chatEvents(after: 0, window: 10)
        #expect(events.map(\.message.text) == (20..<30).map { "m\($0)" })
        #expect(try await database.chatEvents(after: 25, window: 10).map(\.message.text) == (25..<30).map { "m\($0)" })
        await database.close()
    }

    @Test func pruningRemovesOldMessagesTheirEventsAndEndedMutes() async throws {
        let (database, dir) = try await open(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let now = Date(timeIntervalSince1970: 2_000_000_000)
        let old = try await database.addMessage(nickname: "o", text: "old", staff: false, client: "a", now: now.addingTimeInterval(-40 * 86_400))
        _ = try await database.deleteMessage(id: old.message.id, now: now.addingTimeInterval(-39 * 86_400))
        let fresh = try await database.addMessage(nickname: "f", text: "fresh", staff: false, client: "a", now: now.addingTimeInterval(-86_400))
        try await database.mute(nickname: "ended", until: now.addingTimeInterval(-1), by: "dj")
        try await database.mute(nickname: "still", until: now.addingTimeInterval(60), by: "dj")
        await ChatJanitor(database: database, keepDays: 30, logger: logger).pruneOnce(now: now)
        #expect(try await database.rows("SELECT text FROM chat_messages").map { $0.string("text") } == ["fresh"])
        #expect(try await database.rows("SELECT message_id FROM chat_events").map { $0.int("message_id") } == [fresh.message.id])
        #expect(try await database.rows("SELECT nickname FROM mutes").map { $0.string("nickname") } == ["still"])
        // Event ids keep growing after a prune, so Last-Event-ID still means the same thing.
        let next = try await database.addMessage(nickname: "n", text: "next", staff: false, client: "a", now: now)
        #expect(next.id > fresh.id)
        await database.close()
    }
}
