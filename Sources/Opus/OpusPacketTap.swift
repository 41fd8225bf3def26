/// The audio packets libopusenc hands its packet callback, as one continuous stream: the header
/// packets of each (chained) logical stream are left out, and so are the packets libopusenc plays
/// again at the start of a chained stream (the last one or two of the stream before, which the new
/// stream's pre-skip covers).
final class OpusPacketTap {
    private var packets: [[UInt8]] = []
    /// The last two audio packets taken.
    private var recent: [[UInt8]] = []
    /// What a chained stream is expected to repeat before its new audio.
    private var replay: [[UInt8]] = []
    private var streams = 0

    func received(_ packet: UnsafeBufferPointer<UInt8>) {
        if packet.starts(with: "OpusHead".utf8) {
            streams += 1
            return
        }
        if packet.starts(with: "OpusTags".utf8) {
            replay = streams > 1 ? recent : []
            return
        }
        let bytes = Array(packet)
        if let index = replay.firstIndex(of: bytes) {
            replay.removeFirst(index + 1)
            return
        }
        replay = []
        packets.append(bytes)
        recent.append(bytes)
        if recent.count > 2 { recent.removeFirst() }
    }

    func take() -> [[UInt8]] {
        defer { packets.removeAll(keepingCapacity: true) }
        return packets
    }
}
