import Foundation

/// Token buckets in memory, one per key (client address, address and user name): `burst` requests
/// at once, then one every `interval` seconds. Memory stays bounded: once a minute the buckets that
/// are full again (idle for `burst × interval`) are dropped, and past `maxKeys` the least recently
/// used ones go first.
actor RateLimiter {
    struct Bucket { var tokens: Double; var updated: Date }

    let burst: Double
    let interval: TimeInterval
    let maxKeys: Int
    private var buckets: [String: Bucket] = [:]
    private var lastPrune = Date.distantPast

    init(burst: Int, interval: TimeInterval, maxKeys: Int = 50_000) {
        self.burst = Double(burst); self.interval = interval; self.maxKeys = maxKeys
    }

    /// How many keys are held now.
    var count: Int { buckets.count }

    /// Takes a token for `key`; nil when allowed, else the seconds until the next one.
    func take(_ key: String, now: Date = Date()) -> TimeInterval? {
        if now.timeIntervalSince(lastPrune) >= 60 || (buckets[key] == nil && buckets.count >= maxKeys) { prune(now: now) }
        var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
        bucket.tokens = min(burst, bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) / interval)
        bucket.updated = now
        defer { buckets[key] = bucket }
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

    /// Drops full buckets; if still at `maxKeys`, the least recently used half of the rest.
    private func prune(now: Date) {
        lastPrune = now
        let full = burst * interval
        buckets = buckets.filter { now.timeIntervalSince($0.value.updated) < full }
        if buckets.count >= maxKeys {
            let keep = buckets.sorted { $0.value.updated > $1.value.updated }.prefix(maxKeys / 2)
            buckets = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
        }
    }
}
