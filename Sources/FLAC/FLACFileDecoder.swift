import CFLAC

/// A FLAC file decoded by libFLAC to interleaved float, with its Vorbis comments. The MD5 of the
/// audio is checked: a mismatch, or a damaged frame, is reported by `read` once the audio that
/// could be decoded has been returned. Not Sendable: owned by one thread; freed in `deinit`.
public final class FLACFileDecoder {
    /// What libFLAC's callbacks deliver; reached through `client_data`.
    private final class Sink {
        var samples: [Float] = []
        var sampleRate = 0
        var channels = 0
        var firstError: String?
        var totalFrames: UInt64 = 0
    }

    private let handle: UnsafeMutablePointer<FLAC__StreamDecoder>
    private let sink = Sink()
    private var ended = false
    private var initialized = false
    public private(set) var comments: [String: String] = [:]
    public private(set) var totalFrames: UInt64 = 0

    public init(path: String) throws {
        guard let handle = FLAC__stream_decoder_new() else {
            throw FLACError(function: "FLAC__stream_decoder_new", message: "out of memory")
        }
        self.handle = handle
        _ = FLAC__stream_decoder_set_md5_checking(handle, 1)
        let client = Unmanaged.passUnretained(sink).toOpaque()
        let status = FLAC__stream_decoder_init_file(
            handle, path,
            { _, frame, buffer, client in
                guard let frame, let buffer, let client else { return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT }
                let sink = Unmanaged<Sink>.fromOpaque(client).takeUnretainedValue()
                let header = frame.pointee.header
                let channels = Int(header.channels), frames = Int(header.blocksize)
                let scale = 1 / Float(1 << (Int(header.bits_per_sample) - 1))
                sink.sampleRate = Int(header.sample_rate)
                sink.channels = channels
                sink.samples.reserveCapacity(sink.samples.count + frames * channels)
                for index in 0..<frames {
                    for channel in 0..<channels {
                        let value = buffer[channel].map { Float($0[index]) * scale } ?? 0
                        sink.samples.append(value)
                    }
                }
                return FLAC__STREAM_DECODER_WRITE_STATUS_CONTINUE
            },
            { _, metadata, client in
                guard let metadata, let client, metadata.pointee.type == FLAC__METADATA_TYPE_STREAMINFO else { return }
                let sink = Unmanaged<Sink>.fromOpaque(client).takeUnretainedValue()
                let info = metadata.pointee.data.stream_info
                sink.sampleRate = Int(info.sample_rate)
                sink.channels = Int(info.channels)
                sink.totalFrames = info.total_samples
            },
            { _, status, client in
                guard let client else { return }
                let sink = Unmanaged<Sink>.fromOpaque(client).takeUnretainedValue()
                if sink.firstError == nil {
                    sink.firstError =
                        cflac_error_status_string(status).map { String(cString: $0) }
                        ?? "decoding error \(status.rawValue)"
                }
            }, client)
        guard status == FLAC__STREAM_DECODER_INIT_STATUS_OK else {
            FLAC__stream_decoder_delete(handle)
            throw FLACError(
                function: "FLAC__stream_decoder_init_file",
                message: cflac_init_status_string(status).map { String(cString: $0) } ?? "error")
        }
        initialized = true
        guard FLAC__stream_decoder_process_until_end_of_metadata(handle) != 0 else {
            throw FLACError(function: "FLAC__stream_decoder_process_until_end_of_metadata", message: stateText)
        }
        totalFrames = sink.totalFrames
        guard sink.sampleRate > 0, sink.channels > 0 else {
            throw FLACError(function: "FLAC__stream_decoder_process_until_end_of_metadata", message: "no STREAMINFO")
        }
        comments = Self.readComments(path)
    }

    deinit {
        if initialized { _ = FLAC__stream_decoder_finish(handle) }
        FLAC__stream_decoder_delete(handle)
    }

    public var sampleRate: Int { sink.sampleRate }
    public var channels: Int { sink.channels }

    /// Interleaved frames (about `maxFrames`: whole FLAC blocks); nil at the end. Throws, after the
    /// good audio, when a frame was damaged or the MD5 checksum does not match.
    public func read(maxFrames: Int) throws -> [Float]? {
        while sink.samples.count < maxFrames * max(1, sink.channels), !ended {
            let ok = FLAC__stream_decoder_process_single(handle) != 0
            let state = FLAC__stream_decoder_get_state(handle)
            if !ok || state == FLAC__STREAM_DECODER_END_OF_STREAM || state == FLAC__STREAM_DECODER_ABORTED {
                ended = true
                if !ok, sink.firstError == nil { sink.firstError = stateText }
            }
        }
        if !sink.samples.isEmpty {
            defer { sink.samples.removeAll(keepingCapacity: true) }
            return sink.samples
        }
        if initialized {
            initialized = false
            if FLAC__stream_decoder_finish(handle) == 0, sink.firstError == nil {
                sink.firstError = "the MD5 checksum of the audio does not match (the file is damaged)"
            }
        }
        if let error = sink.firstError {
            sink.firstError = nil
            throw FLACError(function: "FLAC decoding", message: error)
        }
        return nil
    }

    private var stateText: String {
        let state = FLAC__stream_decoder_get_state(handle)
        return cflac_state_string(state).map { String(cString: $0) } ?? "state \(state.rawValue)"
    }

    /// "TITLE=..." entries of the file's VORBIS_COMMENT block, keys upper-cased.
    private static func readComments(_ path: String) -> [String: String] {
        var block: UnsafeMutablePointer<FLAC__StreamMetadata>?
        guard FLAC__metadata_get_tags(path, &block) != 0, let block else { return [:] }
        defer { FLAC__metadata_object_delete(block) }
        var result: [String: String] = [:]
        let comment = block.pointee.data.vorbis_comment
        for index in 0..<Int(comment.num_comments) {
            let entry = comment.comments[index]
            guard let bytes = entry.entry else { continue }
            let text = String(decoding: UnsafeBufferPointer(start: bytes, count: Int(entry.length)), as: UTF8.self)
            guard let equals = text.firstIndex(of: "=") else { continue }
            let key = text[..<equals].uppercased()
            if result[key] == nil { result[key] = String(text[text.index(after: equals)...]) }
        }
        return result
    }
}
