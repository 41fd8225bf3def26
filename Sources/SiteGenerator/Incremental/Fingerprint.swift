/// The one hash of the build: 64-bit FNV-1a-style, of typed values, for "did this change since the
/// last build" keys (pages, bodies, feed items, the manifest, the cache's location). Every value is
/// framed (strings end in a separator, optionals and lists carry a marker and a count), so
/// different values never feed the same byte stream. `addBytes` is plain FNV-1a, byte by byte.
struct Fingerprint {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    private mutating func byte(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x0000_0100_0000_01B3
    }

    /// Eight bytes per step (FNV's multiply over 64-bit words), then the length as a frame.
    mutating func add(_ text: String) {
        var text = text
        let count = text.withUTF8 { bytes -> Int in
            guard let base = bytes.baseAddress else { return 0 }
            var index = 0
            while index + 8 <= bytes.count {
                value ^= UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                value = value &* 0x0000_0100_0000_01B3
                value ^= value >> 29
                index += 8
            }
            while index < bytes.count { byte(bytes[index]); index += 1 }
            return bytes.count
        }
        byte(0xff)
        add(UInt64(count))
    }

    mutating func add(_ number: Int) { add(UInt64(bitPattern: Int64(number))) }

    mutating func add(_ number: UInt64) {
        var number = number
        for _ in 0..<8 { byte(UInt8(truncatingIfNeeded: number)); number >>= 8 }
    }

    mutating func add(_ flag: Bool) { byte(flag ? 1 : 0) }

    /// Unframed bytes, one FNV-1a step each (the asset version, whose value is published).
    mutating func addBytes<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for value in bytes { byte(value) }
    }

    mutating func add<T: Fingerprinted>(_ value: T) { value.fingerprint(into: &self) }

    mutating func add<T: Fingerprinted>(_ value: T?) {
        if let value { byte(1); value.fingerprint(into: &self) } else { byte(0) }
    }

    mutating func add<T: Fingerprinted>(_ values: [T]) {
        add(values.count)
        for value in values { value.fingerprint(into: &self) }
    }

    mutating func add(_ value: String?) { if let value { byte(1); add(value) } else { byte(0) } }
    mutating func add(_ value: Int?) { if let value { byte(1); add(value) } else { byte(0) } }
    mutating func add(_ values: [String]) { add(values.count); for value in values { add(value) } }
}

/// A view whose every stored property goes into a page's key (see `PageCache`).
protocol Fingerprinted {
    func fingerprint(into hash: inout Fingerprint)
}
