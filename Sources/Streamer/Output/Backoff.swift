/// Reconnect delays: 1 s doubling to a cap of 30 s; `reset()` after a good connection.
struct Backoff: Equatable {
    let initial: Double
    let maximum: Double
    private var nextDelay: Double

    init(initial: Double = 1, maximum: Double = 30) {
        self.initial = initial
        self.maximum = maximum
        self.nextDelay = initial
    }

    /// The delay before the next attempt (1, 2, 4, 8, 16, 30, 30, ...).
    mutating func next() -> Double {
        let delay = nextDelay
        nextDelay = min(maximum, nextDelay * 2)
        return delay
    }

    mutating func reset() { nextDelay = initial }
}
