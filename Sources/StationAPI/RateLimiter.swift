import Foundation

/// Token buckets in memory, one per key (client address, user name): `burst` requests at once,
/// then one every `interval` seconds. Old buckets are dropped so memory stays bounded.
actor RateLimiter {
    struct Bucket { var tokens: Double; var updated: Date }

    let burst: Double
    let interval: TimeInterval
    private var buckets: [String: Bucket] = [:]
    private let maxKeys = 50_000

    init(burst: Int, interval: TimeInterval) {
        self.burst = Double(burst); self.interval = interval
    }

    /// Takes a token for `key`; nil when allowed, else the seconds until the next one.
    func take(_ key: String, now: Date = Date()) -> TimeInterval? {
        var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
        bucket.tokens = min(burst, bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) / interval)
        bucket.updated = now
        defer { buckets[key] = bucket; if buckets.count > maxKeys { prune(now: now) } }
        guard bucket.tokens >= 1 else { return (1 - bucket.tokens) * interval }
        bucket.tokens -= 1
        return nil
    }

    /// Seconds until `key` may act again without taking a token.
    func wait(_ key: String, now: Date = Date()) -> TimeInterval? {
        guard let bucket = buckets[key] else { return nil }
        let tokens = min(burst, bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) / interval)
        return tokens >= 1 ? nil : (1 - tokens) * interval
    }

    private func prune(now: Date) {
        let full = burst * interval
        buckets = buckets.filter { now.timeIntervalSince($0.value.updated) < full }
    }
}
