import CVorbis
import Foundation

/// An Ogg Vorbis stream read from a network connection (not seekable), decoded with libvorbisfile
/// to interleaved float. Chained streams are read through: each new logical bitstream brings its
/// own comments, rate and channels (`link`). `read` is a blocking byte source supplied by the
/// caller: it returns the bytes it put in the buffer, 0 at the end, a negative number on failure.
/// Not Sendable: owned by one thread; freed in `deinit`.
public final class VorbisStream {
    public typealias Read = (UnsafeMutableRawBufferPointer) -> Int

    private final class Source {
        let read: Read
        init(_ read: @escaping Read) { self.read = read }
    }

    private let file = UnsafeMutablePointer<OggVorbis_File>.allocate(capacity: 1)
    private let source: Unmanaged<Source>
    private var isOpen = false
    private var lastSection: Int32 = -1

    /// Reads the stream's headers (blocking). Throws when it is not Ogg Vorbis.
    public init(read: @escaping Read) throws {
        source = Unmanaged.passRetained(Source(read))
        var callbacks = ov_callbacks()
        callbacks.read_func = { pointer, size, count, datasource in
            guard let pointer, let datasource, size > 0 else { return 0 }
            let source = Unmanaged<Source>.fromOpaque(datasource).takeUnretainedValue()
            let got = source.read(UnsafeMutableRawBufferPointer(start: pointer, count: size * count))
            return got > 0 ? got / size : 0
        }
        callbacks.seek_func = nil
        callbacks.close_func = nil
        callbacks.tell_func = nil
        let code = ov_open_callbacks(source.toOpaque(), file, nil, 0, callbacks)
        guard code == 0 else {
            source.release()
            file.deallocate()
            throw VorbisError(function: "ov_open_callbacks", code: Int(code))
        }
        isOpen = true
    }

    deinit {
        if isOpen {
            ov_clear(file)
            source.release()
            file.deallocate()
        }
    }

    /// The logical bitstream being decoded now: rate, channels, comments.
    public var link: VorbisFile.Link? {
        guard let info = ov_info(file, -1)?.pointee else { return nil }
        return VorbisFile.Link(
            serial: 0, sampleRate: info.rate, channels: Int(info.channels),
            comments: Self.comments(ov_comment(file, -1)), vendor: "")
    }

    /// Decodes up to `maxFrames` frames: interleaved samples, channels, rate, and whether a new
    /// logical bitstream (new comments) started with them. Nil at the end of the stream; a hole
    /// (lost data) is skipped; other errors throw.
    public func read(maxFrames: Int) throws -> (samples: [Float], channels: Int, sampleRate: Int, newLink: Bool)? {
        var planesPointer: UnsafeMutablePointer<UnsafeMutablePointer<Float>?>?
        var section: Int32 = 0
        for _ in 0..<64 {
            let frames = ov_read_float(file, &planesPointer, Int32(maxFrames), &section)
            if frames == 0 { return nil }
            if frames == -3 /* OV_HOLE */ { continue }
            if frames < 0 { throw VorbisError(function: "ov_read_float", code: frames) }
            guard let info = ov_info(file, -1)?.pointee, let planes = planesPointer else {
                throw VorbisError(function: "ov_info", code: -129)
            }
            let channels = Int(info.channels)
            let samples = VorbisFile.interleave(planes, frames: Int(frames), channels: channels)
            // Unseekable: libvorbisfile counts links up from 0 as they come, or restarts at 0.
            let newLink = section != lastSection || lastSection == -1
            lastSection = section
            return (samples, channels, info.rate, newLink)
        }
        throw VorbisError(function: "ov_read_float", code: -3)
    }

    /// Comments as (KEY, value); each value cut at 1024 bytes (they come from the network).
    static func comments(_ pointer: UnsafeMutablePointer<vorbis_comment>?) -> [(String, String)] {
        guard let comment = pointer?.pointee else { return [] }
        var result: [(String, String)] = []
        for index in 0..<min(Int(comment.comments), 64) {
            guard let raw = comment.user_comments?[index] else { continue }
            let length = min(Int(comment.comment_lengths?[index] ?? 0), 1024)
            let text = String(decoding: UnsafeRawBufferPointer(start: raw, count: length), as: UTF8.self)
            if let equals = text.firstIndex(of: "=") {
                result.append((String(text[..<equals]), String(text[text.index(after: equals)...])))
            }
        }
        return result
    }
}
