import CVorbis

/// One logical Ogg Vorbis bitstream: headers (with the given comments), audio, end of stream.
/// A title change ends this encoder (`finish()`) and starts a new one with a new serial number:
/// that is a chained Ogg stream, which players show as a new title.
/// Not Sendable: owned by the streaming thread; the libvorbis/libogg state is freed in `deinit`.
public final class VorbisEncoder {
    public enum Mode: Sendable, Hashable {
        /// VBR quality on libvorbis's -0.1...1.0 scale (oggenc -q 4 = 0.4).
        case quality(Double)
        /// Managed bitrate, nominal kbit/s.
        case bitrate(Int)
    }

    public let sampleRate: Int
    public let channels: Int
    public let serial: Int32
    public private(set) var isFinished = false

    private let info = UnsafeMutablePointer<vorbis_info>.allocate(capacity: 1)
    private let comment = UnsafeMutablePointer<vorbis_comment>.allocate(capacity: 1)
    private let dsp = UnsafeMutablePointer<vorbis_dsp_state>.allocate(capacity: 1)
    private let block = UnsafeMutablePointer<vorbis_block>.allocate(capacity: 1)
    private let stream = UnsafeMutablePointer<ogg_stream_state>.allocate(capacity: 1)
    private var ready: (info: Bool, dsp: Bool, block: Bool, stream: Bool) = (false, false, false, false)
    private var headers: [UInt8] = []
    /// A page is closed once it holds this many frames of audio, however few bytes (a quiet or
    /// simple signal fills libogg's 4 KB pages slowly; Icecast forwards whole pages only).
    private let maxPageFrames: Int64
    /// Granule position of the last page out; -1 until the first audio page, which goes out at
    /// once so the headers of a new title reach listeners without waiting for a full page.
    private var lastPageGranule: Int64 = -1

    /// Sets up the encoder; `headerPages` then holds the three header packets as Ogg pages.
    /// `comments` are Vorbis comments, e.g. [("TITLE", "Night Drive"), ("ARTIST", "Sam")].
    public init(
        sampleRate: Int, channels: Int, mode: Mode, comments: [(String, String)], serial: Int32,
        maxPageDuration: Double = 0.25
    ) throws {
        self.maxPageFrames = Int64(max(0.01, maxPageDuration) * Double(sampleRate))
        self.sampleRate = sampleRate
        self.channels = channels
        self.serial = serial
        vorbis_info_init(info)
        ready.info = true
        vorbis_comment_init(comment)
        let code: Int32
        switch mode {
        case .quality(let quality):
            code = vorbis_encode_init_vbr(info, Int(channels), Int(sampleRate), Float(quality))
            try check(code, "vorbis_encode_init_vbr")
        case .bitrate(let kbps):
            code = vorbis_encode_init(info, Int(channels), Int(sampleRate), -1, kbps * 1000, -1)
            try check(code, "vorbis_encode_init")
        }
        for (key, value) in comments {
            vorbis_comment_add_tag(comment, key, value)
        }
        try check(vorbis_analysis_init(dsp, info), "vorbis_analysis_init")
        ready.dsp = true
        try check(vorbis_block_init(dsp, block), "vorbis_block_init")
        ready.block = true
        try check(ogg_stream_init(stream, serial), "ogg_stream_init")
        ready.stream = true

        var identification = ogg_packet(), commentPacket = ogg_packet(), codebooks = ogg_packet()
        try check(
            vorbis_analysis_headerout(dsp, comment, &identification, &commentPacket, &codebooks),
            "vorbis_analysis_headerout")
        ogg_stream_packetin(stream, &identification)
        ogg_stream_packetin(stream, &commentPacket)
        ogg_stream_packetin(stream, &codebooks)
        // Audio must start on a fresh page: flush the header pages now.
        var page = ogg_page()
        while ogg_stream_flush(stream, &page) != 0 {
            Self.append(page, to: &headers)
        }
    }

    deinit {
        if ready.stream { ogg_stream_clear(stream) }
        if ready.block { vorbis_block_clear(block) }
        if ready.dsp { vorbis_dsp_clear(dsp) }
        vorbis_comment_clear(comment)
        if ready.info { vorbis_info_clear(info) }
        info.deallocate(); comment.deallocate(); dsp.deallocate(); block.deallocate(); stream.deallocate()
    }

    /// The Ogg pages holding the three Vorbis headers; send them first.
    public var headerPages: [UInt8] { headers }

    /// Encodes interleaved float samples (-1...1, `channels` per frame) and returns the Ogg pages that
    /// became complete (possibly none). libvorbis takes them 1024 frames at a time, as oggenc feeds
    /// it: its analysis buffer shifts the unread audio down after every block, so small writes keep
    /// that copy short.
    public func encode(interleaved samples: [Float]) -> [UInt8] {
        guard !isFinished else { return [] }
        let frames = samples.count / channels
        guard frames > 0 else { return [] }
        var out: [UInt8] = []
        samples.withUnsafeBufferPointer { source in
            var first = 0
            while first < frames {
                let count = min(Self.framesPerWrite, frames - first)
                guard let buffer = vorbis_analysis_buffer(dsp, Int32(count)) else { return }
                for channel in 0..<channels {
                    guard let destination = buffer[channel] else { continue }
                    var index = first * channels + channel
                    for frame in 0..<count {
                        destination[frame] = source[index]
                        index += channels
                    }
                }
                vorbis_analysis_wrote(dsp, Int32(count))
                out += drain(flush: false)
                first += count
            }
        }
        return out
    }

    private static let framesPerWrite = 1024

    /// Ends the logical bitstream: the remaining audio and the end-of-stream page.
    public func finish() -> [UInt8] {
        guard !isFinished else { return [] }
        isFinished = true
        vorbis_analysis_wrote(dsp, 0)
        return drain(flush: true)
    }

    private func drain(flush: Bool) -> [UInt8] {
        var out: [UInt8] = []
        var packet = ogg_packet()
        var page = ogg_page()
        while vorbis_analysis_blockout(dsp, block) == 1 {
            vorbis_analysis(block, nil)
            vorbis_bitrate_addblock(block)
            while vorbis_bitrate_flushpacket(dsp, &packet) == 1 {
                ogg_stream_packetin(stream, &packet)
                let due = lastPageGranule < 0 || packet.granulepos - lastPageGranule >= maxPageFrames
                while (due ? ogg_stream_flush(stream, &page) : ogg_stream_pageout(stream, &page)) != 0 {
                    Self.append(page, to: &out)
                    lastPageGranule = max(lastPageGranule, ogg_page_granulepos(&page))
                }
            }
        }
        if flush {
            while ogg_stream_flush(stream, &page) != 0 {
                Self.append(page, to: &out)
            }
        }
        return out
    }

    private static func append(_ page: ogg_page, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: page.header, count: page.header_len))
        bytes.append(contentsOf: UnsafeBufferPointer(start: page.body, count: page.body_len))
    }

    private func check(_ code: Int32, _ function: String) throws {
        guard code == 0 else { throw VorbisError(function: function, code: Int(code)) }
    }
}
