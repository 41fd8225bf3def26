import Foundation
import StationKit

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
    private final class Results<U: Sendable>: Sendable {
        private let storage: Locked<[U?]>
        init(count: Int) { storage = Locked(Array(repeating: nil, count: count)) }
        func set(_ index: Int, _ value: U) { storage.withLock { $0[index] = value } }
        func values() -> [U] { storage.withLock { $0.compactMap { $0 } } }
    }
}
