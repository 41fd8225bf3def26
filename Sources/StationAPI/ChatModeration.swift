import Foundation

/// Slow mode: while on, each client may post once every `seconds`. Kept in memory (a restart turns it off).
actor ChatModeration {
    private(set) var slowSeconds = 0
    private var lastPost: [String: Date] = [:]

    func setSlowMode(_ seconds: Int) {
        slowSeconds = seconds
        if seconds == 0 { lastPost.removeAll() }
    }

    /// nil when `client` may post now (and records the post), else the seconds to wait.
    func admit(_ client: String, now: Date = Date()) -> Int? {
        guard slowSeconds > 0 else { return nil }
        if let last = lastPost[client], now.timeIntervalSince(last) < Double(slowSeconds) {
            return Int((Double(slowSeconds) - now.timeIntervalSince(last)).rounded(.up))
        }
        lastPost[client] = now
        if lastPost.count > 50_000 { lastPost = lastPost.filter { now.timeIntervalSince($0.value) < Double(slowSeconds) } }
        return nil
    }
}
