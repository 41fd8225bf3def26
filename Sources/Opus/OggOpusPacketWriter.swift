import COpus

/// An Ogg Opus file made of packets another encoder made (an output's, through
/// `OggOpusEncoder.takePackets`), so that a recording costs no second encode: its own OpusHead
/// and OpusTags, one logical stream, granule positions from the packets' own durations, pages of
/// at most about a second. Bytes out; the caller writes them.
/// Not Sendable: owned by one thread; freed in `deinit`.
public final class OggOpusPacketWriter {
    /// libopus's look-ahead at 48 kHz: the decoder drops this much from the start.
    public static let defaultPreSkip = 312

    private let stream = UnsafeMutablePointer<ogg_stream_state>.allocate(capacity: 1)
    private var headers: [UInt8] = []
    private var held: [UInt8]?
    private var granule: Int64 = 0
    private var pageGranule: Int64 = 0
    private var packetNumber: Int64 = 0
    private var finished = false

    /// `inputRate` is only recorded in the header (playback is always 48 kHz). `comments` as
    /// [("TITLE", "Jazz Hour")].
    public init(
        channels: Int, inputRate: Int, comments: [(String, String)], preSkip: Int = OggOpusPacketWriter.defaultPreSkip,
        serial: Int32 = Int32.random(in: 1...Int32.max)
    ) throws {
        guard (1...2).contains(channels) else {
            throw OpusError(function: "OggOpusPacketWriter", code: -1, message: "only mono and stereo are supported")
        }
        guard ogg_stream_init(stream, serial) == 0 else {
            stream.deallocate()
            throw OpusError(function: "ogg_stream_init", code: -1, message: "out of memory")
        }
        var head = Array("OpusHead".utf8) + [1, UInt8(channels)]
        head += Self.little(UInt32(preSkip), bytes: 2) + Self.little(UInt32(inputRate), bytes: 4) + [0, 0, 0]
        var tags = Array("OpusTags".utf8)
        let vendor = Array("OnAir".utf8)
        tags += Self.little(UInt32(vendor.count), bytes: 4) + vendor + Self.little(UInt32(comments.count), bytes: 4)
        for (key, value) in comments {
            let entry = Array("\(key)=\(value)".utf8)
            tags += Self.little(UInt32(entry.count), bytes: 4) + entry
        }
        submit(head, granule: 0, first: true)
        flush(into: &headers)
        submit(tags, granule: 0)
        flush(into: &headers)
    }

    deinit {
        ogg_stream_clear(stream)
        stream.deallocate()
    }

    /// The header pages (once; empty afterwards).
    public func start() -> [UInt8] {
        defer { headers = [] }
        return headers
    }

    /// Adds audio packets; returns the pages completed (may be empty). The last packet is held
    /// back until the next call, so that `finish` can mark it as the end of the stream.
    public func write(_ packets: [[UInt8]]) -> [UInt8] {
        guard !finished else { return [] }
        var bytes: [UInt8] = []
        for packet in packets where !packet.isEmpty {
            if let held { add(held, into: &bytes) }
            held = packet
        }
        return bytes
    }

    /// Ends the stream: the held packet with end-of-stream, and the last page.
    public func finish() -> [UInt8] {
        guard !finished else { return [] }
        finished = true
        var bytes: [UInt8] = []
        let last = held ?? []  // an empty packet still carries the end-of-stream flag
        held = nil
        granule += Int64(Self.samples(last))
        submit(last, granule: granule, last: true)
        flush(into: &bytes)
        return bytes
    }

    /// Samples (at 48 kHz) a packet decodes to; 0 for a packet libopus cannot parse.
    public static func samples(_ packet: [UInt8]) -> Int {
        guard !packet.isEmpty else { return 0 }
        return max(0, Int(packet.withUnsafeBufferPointer { opus_packet_get_nb_samples($0.baseAddress!, Int32($0.count), 48_000) }))
    }

    private func add(_ packet: [UInt8], into bytes: inout [UInt8]) {
        granule += Int64(Self.samples(packet))
        submit(packet, granule: granule)
        if granule - pageGranule >= 48_000 {
            flush(into: &bytes)
            pageGranule = granule
        } else {
            var page = ogg_page()
            while ogg_stream_pageout(stream, &page) != 0 { Self.append(page, to: &bytes) }
        }
    }

    private func submit(_ data: [UInt8], granule: Int64, first: Bool = false, last: Bool = false) {
        var data = data
        data.withUnsafeMutableBufferPointer { buffer in
            var packet = ogg_packet(
                packet: buffer.baseAddress, bytes: buffer.count, b_o_s: first ? 1 : 0, e_o_s: last ? 1 : 0,
                granulepos: granule, packetno: packetNumber)
            ogg_stream_packetin(stream, &packet)
        }
        packetNumber += 1
    }

    private func flush(into bytes: inout [UInt8]) {
        var page = ogg_page()
        while ogg_stream_flush(stream, &page) != 0 { Self.append(page, to: &bytes) }
    }

    private static func append(_ page: ogg_page, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: page.header, count: page.header_len))
        bytes.append(contentsOf: UnsafeBufferPointer(start: page.body, count: page.body_len))
    }

    private static func little(_ value: UInt32, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
    }
}
