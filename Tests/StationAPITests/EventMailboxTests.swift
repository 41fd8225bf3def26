import Foundation
import Logging
import Testing

@testable import StationAPI

/// The event stream's queue: everything waiting goes out in one batch, in order, and a full queue
/// or a finished one says so.
@Suite struct EventMailboxTests {
    private func event(_ id: Int) -> ServerSentEvent { ServerSentEvent(event: "chat", id: id, data: "{}") }

    @Test func whatWaitsIsTakenInOneBatchOldestFirst() async {
        let mailbox = EventMailbox(limit: 10)
        for id in 1...3 { #expect(mailbox.put(event(id))) }
        #expect(await mailbox.next()?.map(\.id) == [1, 2, 3])
        #expect(mailbox.put(event(4)))
        #expect(await mailbox.next()?.map(\.id) == [4])
    }

    @Test func aWaitingWriterGetsTheNextEventAtOnce() async {
        let mailbox = EventMailbox(limit: 10)
        async let batch = mailbox.next()
        try? await Task.sleep(for: .milliseconds(50))
        #expect(mailbox.put(event(7)))
        #expect(await batch?.map(\.id) == [7])
    }

    @Test func aFullQueueRefusesAndKeepsWhatItHas() async {
        let mailbox = EventMailbox(limit: 2)
        #expect(mailbox.put(event(1)))
        #expect(mailbox.put(event(2)))
        #expect(!mailbox.put(event(3)))
        #expect(await mailbox.next()?.map(\.id) == [1, 2])
    }

    @Test func finishingDeliversWhatWaitsThenEnds() async {
        let mailbox = EventMailbox(limit: 10)
        #expect(mailbox.put(event(1)))
        mailbox.finish()
        #expect(await mailbox.next()?.map(\.id) == [1])
        #expect(await mailbox.next() == nil)
    }

    @Test func finishingWakesAWaitingWriterAndCancellingEndsIt() async {
        let mailbox = EventMailbox(limit: 10)
        async let ended = mailbox.next()
        try? await Task.sleep(for: .milliseconds(50))
        mailbox.finish()
        #expect(await ended == nil)

        let other = EventMailbox(limit: 10)
        let task = Task { await other.next() }
        try? await Task.sleep(for: .milliseconds(50))
        task.cancel()
        #expect(await task.value == nil)
    }

    @Test func theHubClosesAStreamThatFellBehind() async throws {
        let hub = EventHub(logger: .init(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let subscription = try await hub.subscribe(client: "192.0.2.9")
        for id in 0...EventHub.queueLimit { await hub.publish(event(id)) }
        #expect(await hub.count == 0)
        #expect(await subscription.events.next()?.count == EventHub.queueLimit)
        #expect(await subscription.events.next() == nil)
    }
}
