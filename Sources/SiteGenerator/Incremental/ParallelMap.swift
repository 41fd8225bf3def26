import Foundation

/// Maps a pure function over an array on all cores, keeping the order.
enum ParallelMap {
    static func map<T: Sendable, U: Sendable>(_ items: [T], _ transform: @Sendable (T) -> U) -> [U] {
        let results = Results<U>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            results.set(index, transform(items[index]))
        }
        return results.values()
    }

    /// Slots written once each, from many threads.
    private final class Results<U: Sendable>: @unchecked Sendable {
        private var storage: [U?]
        private let lock = NSLock()
        init(count: Int) { storage = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: U) { lock.lock(); storage[index] = value; lock.unlock() }
        func values() -> [U] { lock.lock(); defer { lock.unlock() }; return storage.compactMap { $0 } }
    }
}
