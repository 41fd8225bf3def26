/// Cuts the bytes LAME writes into whole MPEG audio frames (Layer III, MPEG-1, 2 and 2.5), each
/// with its length in seconds from its header. Bytes before a frame header (there are none from
/// LAME) are skipped; a frame not yet complete waits for the next bytes.
struct MP3FrameSplitter {
    private var buffer: [UInt8] = []
    private var frames: [EncodedPacket] = []

    mutating func add(_ bytes: [UInt8]) {
        buffer += bytes
        var start = 0
        while buffer.count - start >= 4 {
            guard let header = Self.header(buffer, at: start) else {
                start += 1
                continue
            }
            guard buffer.count - start >= header.length else { break }
            frames.append(EncodedPacket(bytes: Array(buffer[start..<start + header.length]), seconds: header.seconds))
            start += header.length
        }
        buffer.removeFirst(start)
    }

    mutating func take() -> [EncodedPacket] {
        defer { frames.removeAll(keepingCapacity: true) }
        return frames
    }

    /// The frame length in bytes and its duration, when a Layer III header starts at `index`.
    static func header(_ bytes: [UInt8], at index: Int) -> (length: Int, seconds: Double)? {
        let b1 = bytes[index + 1], b2 = bytes[index + 2]
        guard bytes[index] == 0xFF, b1 & 0xE0 == 0xE0, (b1 >> 1) & 3 == 1 else { return nil }  // sync, Layer III
        let version = (b1 >> 3) & 3  // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
        guard version != 1 else { return nil }
        let bitrateIndex = Int(b2 >> 4), rateIndex = Int((b2 >> 2) & 3)
        guard bitrateIndex != 0, bitrateIndex != 15, rateIndex != 3 else { return nil }
        let mpeg1 = version == 3
        let kbps =
            mpeg1
            ? [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320][bitrateIndex]
            : [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160][bitrateIndex]
        let rate = [44_100, 48_000, 32_000][rateIndex] / (mpeg1 ? 1 : version == 2 ? 2 : 4)
        let samples = mpeg1 ? 1_152 : 576
        let length = samples / 8 * kbps * 1_000 / rate + Int((b2 >> 1) & 1)
        return (length, Double(samples) / Double(rate))
    }
}
