import CVorbis

/// An Ogg Vorbis file opened with libvorbisfile: decodes to interleaved float PCM.
/// Chained files (several logical bitstreams) are read through; `links` lists them.
/// Not Sendable: owned by one thread; closed in `deinit`.
public final class VorbisFile {
    public struct Link: Sendable, Equatable {
        public var serial: Int
        public var sampleRate: Int
        public var channels: Int
        /// Comments as (KEY, value), keys as written (usually upper case), vendor string excluded.
        public var comments: [(String, String)]
        public var vendor: String

        public static func == (lhs: Link, rhs: Link) -> Bool {
            lhs.serial == rhs.serial && lhs.sampleRate == rhs.sampleRate && lhs.channels == rhs.channels
                && lhs.vendor == rhs.vendor && lhs.comments.map { "\($0.0)=\($0.1)" } == rhs.comments.map { "\($0.0)=\($0.1)" }
        }

        /// The first value of `key` (case-insensitive), e.g. `comment("TITLE")`.
        public func comment(_ key: String) -> String? {
            comments.first { $0.0.uppercased() == key.uppercased() }?.1
        }
    }

    public let path: String
    private let file = UnsafeMutablePointer<OggVorbis_File>.allocate(capacity: 1)
    private var isOpen = false

    public init(path: String) throws {
        self.path = path
        let code = ov_fopen(path, file)
        // On failure ov_fopen closes the file itself; `deinit` frees `file` (isOpen stays false).
        guard code == 0 else { throw VorbisError(function: "ov_fopen", code: Int(code)) }
        isOpen = true
    }

    deinit {
        if isOpen { ov_clear(file) }
        file.deallocate()
    }

    /// Every logical bitstream in the file, in order.
    public var links: [Link] {
        (0..<max(1, ov_streams(file))).compactMap { link($0) }
    }

    /// Sample rate and channels of the link being decoded now.
    public var current: Link? { link(-1) }

    /// Total duration in seconds, when the file is seekable.
    public var duration: Double? {
        let seconds = ov_time_total(file, -1)
        return seconds > 0 ? seconds : nil
    }

    /// libvorbisfile's planar float (one plane per channel) as interleaved samples.
    static func interleave(_ planes: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>, frames: Int, channels: Int) -> [Float] {
        var samples = [Float](repeating: 0, count: frames * channels)
        for channel in 0..<channels {
            guard let plane = planes[channel] else { continue }
            var index = channel
            for frame in 0..<frames {
                samples[index] = plane[frame]
                index += channels
            }
        }
        return samples
    }

    /// Decodes up to `maxFrames` frames. Returns interleaved samples and their channel count and rate,
    /// or nil at the end of the file. A hole in the data (OV_HOLE) is skipped; other errors throw.
    public func read(maxFrames: Int) throws -> (samples: [Float], channels: Int, sampleRate: Int)? {
        var channelsPointer: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>?
        var bitstream: Int32 = 0
        for _ in 0..<64 {
            let frames = ov_read_float(file, &channelsPointer, Int32(maxFrames), &bitstream)
            if frames == 0 { return nil }
            if frames == -3 /* OV_HOLE */ { continue }
            if frames < 0 { throw VorbisError(function: "ov_read_float", code: frames) }
            guard let info = ov_info(file, -1)?.pointee, let planes = channelsPointer else {
                throw VorbisError(function: "ov_info", code: -129)
            }
            let channels = Int(info.channels)
            return (Self.interleave(planes, frames: Int(frames), channels: channels), channels, info.rate)
        }
        throw VorbisError(function: "ov_read_float", code: -3)
    }

    private func link(_ index: Int) -> Link? {
        guard let info = ov_info(file, Int32(index))?.pointee else { return nil }
        var comments: [(String, String)] = []
        var vendor = ""
        if let comment = ov_comment(file, Int32(index))?.pointee {
            vendor = comment.vendor.map { String(cString: $0) } ?? ""
            for i in 0..<Int(comment.comments) {
                guard let raw = comment.user_comments?[i] else { continue }
                let length = Int(comment.comment_lengths?[i] ?? 0)
                let bytes = UnsafeRawBufferPointer(start: raw, count: length)
                let text = String(decoding: bytes, as: UTF8.self)
                if let equals = text.firstIndex(of: "=") {
                    comments.append((String(text[..<equals]), String(text[text.index(after: equals)...])))
                }
            }
        }
        return Link(
            serial: ov_serialnumber(file, Int32(index)), sampleRate: info.rate, channels: Int(info.channels),
            comments: comments, vendor: vendor)
    }
}
