import COpus

/// An Ogg Opus stream (libopusenc) at 48 kHz: float PCM in, Ogg pages out. A title change chains a
/// new logical stream whose OpusTags carry the new comments (`chain(comments:)`), without a gap.
/// Not Sendable: owned by the streaming thread.
public final class OggOpusEncoder {
    public static let sampleRate = 48_000

    /// Collects the pages libopusenc writes through its callback.
    private final class Pages {
        var bytes: [UInt8] = []
    }

    public let channels: Int
    private let handle: OpaquePointer
    private let pages = Pages()
    private var packets: OpusPacketTap?
    private var finished = false

    /// `bitrate` in kbit/s; `comments` as [("TITLE", "Night Drive"), ("ARTIST", "Sam")]. `inputRate` is
    /// the rate of the PCM handed to `encode`: Opus always codes at 48 kHz, and libopusenc converts other
    /// rates itself (its Speex resampler costs a fraction of a separate libsamplerate pass).
    /// `tapPackets`: also keep the audio packets (`takePackets`), to be muxed into another file.
    public init(
        channels: Int, inputRate: Int = OggOpusEncoder.sampleRate, bitrate: Int, comments: [(String, String)],
        tapPackets: Bool = false
    ) throws {
        self.channels = channels
        let tags = try Self.makeComments(comments)
        defer { ope_comments_destroy(tags) }
        var callbacks = OpusEncCallbacks(
            write: { user, data, length in
                guard let user, let data, length > 0 else { return 0 }
                let pages = Unmanaged<Pages>.fromOpaque(user).takeUnretainedValue()
                pages.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
                return 0
            }, close: { _ in 0 })
        var error: Int32 = 0
        let user = Unmanaged.passUnretained(pages).toOpaque()
        guard
            let handle = ope_encoder_create_callbacks(
                &callbacks, user, tags, Int32(inputRate),
                Int32(channels), 0, &error)
        else {
            throw OpusError(function: "ope_encoder_create_callbacks", code: Int(error), message: Self.message(error))
        }
        self.handle = handle
        try check(copus_set_bitrate(handle, Int32(bitrate * 1000)), "OPUS_SET_BITRATE")
        try check(copus_set_page_duration(handle, 24_000), "OPE_SET_MUXING_DELAY")
        // libopusenc holds 2 s of audio by default to choose frame sizes, which are fixed here:
        // without it each 20 ms packet leaves as soon as it is coded (listeners hear 2 s sooner,
        // and a tapped packet lines up with the PCM it came from).
        try check(copus_set_decision_delay(handle, 0), "OPE_SET_DECISION_DELAY")
        if tapPackets {
            let tap = OpusPacketTap()
            packets = tap
            let code = copus_set_packet_callback(
                handle,
                { user, data, length, _ in
                    guard let user, let data, length > 0 else { return }
                    Unmanaged<OpusPacketTap>.fromOpaque(user).takeUnretainedValue().received(UnsafeBufferPointer(start: data, count: Int(length)))
                }, Unmanaged.passUnretained(tap).toOpaque())
            try check(code, "OPE_SET_PACKET_CALLBACK")
        }
        try check(ope_encoder_flush_header(handle), "ope_encoder_flush_header")
    }

    deinit { ope_encoder_destroy(handle) }

    /// The bytes written so far and not yet taken (headers after `init`, pages after `encode`).
    public func takePages() -> [UInt8] {
        defer { pages.bytes.removeAll(keepingCapacity: true) }
        return pages.bytes
    }

    /// The audio packets encoded since the last call, in order and once each across chained
    /// streams (no headers); empty unless made with `tapPackets`.
    public func takePackets() -> [[UInt8]] { packets?.take() ?? [] }

    /// Encodes interleaved 48 kHz samples; returns whole Ogg pages (may be empty).
    public func encode(interleaved samples: [Float]) throws -> [UInt8] {
        let frames = samples.count / max(1, channels)
        guard frames > 0, !finished else { return takePages() }
        let code = samples.withUnsafeBufferPointer { ope_encoder_write_float(handle, $0.baseAddress, Int32(frames)) }
        try check(code, "ope_encoder_write_float")
        return takePages()
    }

    /// Ends the current logical stream and starts a new one with `comments` (a chained stream, no
    /// gap). The new stream's header pages come out with the next `encode` calls.
    public func chain(comments: [(String, String)]) throws -> [UInt8] {
        let tags = try Self.makeComments(comments)
        defer { ope_comments_destroy(tags) }
        try check(ope_encoder_chain_current(handle, tags), "ope_encoder_chain_current")
        return takePages()
    }

    /// Ends the stream (end-of-stream page); the encoder takes no more audio.
    public func finish() -> [UInt8] {
        guard !finished else { return takePages() }
        finished = true
        _ = ope_encoder_drain(handle)
        return takePages()
    }

    private static func makeComments(_ comments: [(String, String)]) throws -> OpaquePointer {
        guard let tags = ope_comments_create() else {
            throw OpusError(function: "ope_comments_create", code: -1, message: "out of memory")
        }
        for (key, value) in comments { _ = ope_comments_add(tags, key, value) }
        return tags
    }

    private func check(_ code: Int32, _ function: String) throws {
        guard code == 0 else { throw OpusError(function: function, code: Int(code), message: Self.message(code)) }
    }

    static func message(_ code: Int32) -> String {
        ope_strerror(code).map { String(cString: $0) } ?? "unknown error"
    }
}
