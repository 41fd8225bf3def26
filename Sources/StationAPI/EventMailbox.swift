import StationKit

/// One event stream's queue. The hub puts events in; the stream's writer takes everything that
/// waits in one go, so a stream that fell a little behind (a busy moment, a slow reader) catches
/// up with one write instead of one per event. At most `limit` events wait: `put` answers false
/// when the queue is full, and the hub then closes the stream (the browser resumes it).
final class EventMailbox: Sendable {
    private struct State {
        var pending: [ServerSentEvent] = []
        var waiter: CheckedContinuation<[ServerSentEvent]?, Never>?
        var finished = false
    }

    private let state = Locked(State())
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Queues `event` (or hands it to the waiting writer); false when `limit` events wait already.
    func put(_ event: ServerSentEvent) -> Bool {
        let (waiter, kept): (CheckedContinuation<[ServerSentEvent]?, Never>?, Bool) = state.withLock { state in
            if state.finished { return (nil, true) }
            if let waiter = state.waiter {  // a writer waits only when nothing is pending
                state.waiter = nil
                return (waiter, true)
            }
            guard state.pending.count < limit else { return (nil, false) }
            state.pending.append(event)
            return (nil, true)
        }
        waiter?.resume(returning: [event])
        return kept
    }

    /// No more events: what waits is still taken, then `next()` answers nil.
    func finish() {
        let waiter = state.withLock { state in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Every waiting event, oldest first; waits while there is none; nil once finished or cancelled.
    func next() async -> [ServerSentEvent]? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[ServerSentEvent]?, Never>) in
                let ready: [ServerSentEvent]?? = state.withLock { state in
                    if !state.pending.isEmpty {
                        defer { state.pending.removeAll(keepingCapacity: true) }
                        return .some(state.pending)
                    }
                    if state.finished || Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            finish()
        }
    }
}
