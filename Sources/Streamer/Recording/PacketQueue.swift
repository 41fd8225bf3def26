/// An output's packets (Opus) or frames (MP3) waiting for the recording, handed out as the PCM
/// they encode is recorded: `take(frames:rate:)` gives those that cover that many more frames of
/// the station's audio (an encoder runs a packet or two behind its input, so those wait here).
struct PacketQueue {
    private var packets: [EncodedPacket] = []
    private var first = 0
    /// Seconds of audio recorded but not yet covered by packets.
    private var owed = 0.0
    /// At most this much may be owed: an encoder never lags more, so more means packets were
    /// lost (a reconnect) and must not come out in a burst later.
    static let maxOwed = 0.5

    mutating func add(_ new: [EncodedPacket]) { packets += new }

    /// Forgets everything (the output stopped encoding: the recording encodes for itself).
    mutating func reset() {
        packets.removeAll(keepingCapacity: true)
        first = 0
        owed = 0
    }

    /// The packets covering `frames` more frames at `rate` Hz, in order.
    mutating func take(frames: Int, rate: Int) -> [EncodedPacket] {
        owed = min(owed + Double(frames) / Double(max(1, rate)), Self.maxOwed)
        var out: [EncodedPacket] = []
        // A packet is due once at most half of it is still ahead of the PCM recorded.
        while first < packets.count, packets[first].seconds / 2 <= owed {
            owed -= packets[first].seconds
            out.append(packets[first])
            first += 1
        }
        if first > 64 {
            packets.removeFirst(first)
            first = 0
        }
        return out
    }
}
