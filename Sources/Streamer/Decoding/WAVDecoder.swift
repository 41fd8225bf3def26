import Foundation
import StationKit

/// The facts in a WAV file's header that decoding needs.
struct WAVHeader: Equatable {
    enum Encoding: Equatable { case integer, float }
    var encoding: Encoding
    var channels: Int
    var sampleRate: Int
    var bitsPerSample: Int
    var dataOffset: UInt64
    /// Bytes of audio (clamped to what the file holds, so a cut-off download still plays).
    var dataLength: UInt64
    var blockAlign: Int { channels * bitsPerSample / 8 }
    var frames: UInt64 { blockAlign > 0 ? dataLength / UInt64(blockAlign) : 0 }
}

/// Reads RIFF/WAVE: PCM 8/16/24/32-bit integer or 32-bit float (also WAVE_FORMAT_EXTENSIBLE).
/// Errors name what is wrong: not a WAV file, truncated header, unsupported encoding.
final class WAVDecoder: TrackDecoder {
    let header: WAVHeader
    let title: TrackTitle
    var duration: Double? { Double(header.frames) / Double(header.sampleRate) }
    private let handle: FileHandle
    private var remaining: UInt64

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TrackError(description: "cannot open the file (missing or not readable)")
        }
        self.handle = handle
        do {
            header = try Self.parseHeader(handle)
            try handle.seek(toOffset: header.dataOffset)
        } catch {
            try? handle.close()
            throw error
        }
        remaining = header.dataLength
        title = TrackTitle.fromTags(artist: nil, title: nil, path: path)
    }

    deinit { try? handle.close() }

    func read(maxFrames: Int) throws -> (samples: [Float], format: AudioFormat)? {
        let align = UInt64(header.blockAlign)
        let want = min(remaining / align, UInt64(maxFrames)) * align
        guard want > 0 else { return nil }
        let data = (try? handle.read(upToCount: Int(want))) ?? Data()
        let usable = data.count - data.count % header.blockAlign
        guard usable > 0 else { return nil }
        remaining -= UInt64(usable)
        let samples = Self.decode(data.prefix(usable), header: header)
        return (samples, AudioFormat(sampleRate: header.sampleRate, channels: header.channels))
    }

    static func decode(_ data: Data, header: WAVHeader) -> [Float] {
        let bytesPerSample = header.bitsPerSample / 8
        let count = data.count / bytesPerSample
        var samples = [Float](repeating: 0, count: count)
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            switch (header.encoding, bytesPerSample) {
            case (.integer, 1):
                for i in 0..<count { samples[i] = (Float(raw[i]) - 128) / 128 }
            case (.integer, 2):
                for i in 0..<count {
                    let value = Int16(bitPattern: UInt16(raw[2 * i]) | UInt16(raw[2 * i + 1]) << 8)
                    samples[i] = Float(value) / 32768
                }
            case (.integer, 3):
                for i in 0..<count {
                    let b = 3 * i
                    let value = Int32(bitPattern: UInt32(raw[b]) << 8 | UInt32(raw[b + 1]) << 16 | UInt32(raw[b + 2]) << 24)
                    samples[i] = Float(value) / 2_147_483_648
                }
            case (.integer, 4):
                for i in 0..<count {
                    samples[i] = Float(Int32(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian)) / 2_147_483_648
                }
            case (.float, 4):
                for i in 0..<count {
                    samples[i] = Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian)
                }
            default:
                break
            }
        }
        return samples
    }

    /// Walks the RIFF chunks up to `data`; `fmt ` must come before it.
    static func parseHeader(_ handle: FileHandle) throws -> WAVHeader {
        let fileSize = try handle.seekToEnd()
        try handle.seek(toOffset: 0)
        let riff = (try? handle.read(upToCount: 12)) ?? Data()
        if riff.prefix(4) == Data("RIFX".utf8) { throw TrackError(description: "big-endian WAV (RIFX) is not supported") }
        guard riff.prefix(4) == Data("RIFF".utf8) else { throw TrackError(description: "not a WAV file (no RIFF header)") }
        guard riff.count == 12 else { throw TrackError(description: "truncated WAV file (RIFF header cut off)") }
        guard riff.suffix(4) == Data("WAVE".utf8) else { throw TrackError(description: "not a WAV file (RIFF but not WAVE)") }
        var offset: UInt64 = 12
        var format: (encoding: WAVHeader.Encoding, channels: Int, rate: Int, bits: Int)?
        // Bounded: at most 1000 chunks before the audio.
        for _ in 0..<1000 {
            let chunk = try read(handle, 8, what: "chunk header")
            let id = String(decoding: chunk.prefix(4), as: UTF8.self)
            let size = UInt64(le32(chunk, 4))
            offset += 8
            switch id {
            case "fmt ":
                guard size >= 16 else { throw TrackError(description: "truncated WAV file (fmt chunk too short)") }
                let body = try read(handle, Int(min(size, 64)), what: "fmt chunk")
                var tag = Int(le16(body, 0))
                if tag == 0xFFFE, body.count >= 26 { tag = Int(le16(body, 24)) }  // WAVE_FORMAT_EXTENSIBLE
                let channels = Int(le16(body, 2)), rate = Int(le32(body, 4)), bits = Int(le16(body, 14))
                let encoding: WAVHeader.Encoding
                switch (tag, bits) {
                case (1, 8), (1, 16), (1, 24), (1, 32): encoding = .integer
                case (3, 32): encoding = .float
                default:
                    throw TrackError(description: "unsupported WAV encoding (format \(tag), \(bits) bits): use 16-bit PCM")
                }
                guard (1...8).contains(channels), (8000...192_000).contains(rate) else {
                    throw TrackError(description: "unsupported WAV format (\(channels) channels, \(rate) Hz)")
                }
                format = (encoding, channels, rate, bits)
            case "data":
                guard let format else { throw TrackError(description: "not a valid WAV file (audio before the fmt chunk)") }
                let available = fileSize > offset ? fileSize - offset : 0
                let length = size == 0xFFFF_FFFF ? available : min(size, available)
                let header = WAVHeader(
                    encoding: format.encoding, channels: format.channels, sampleRate: format.rate,
                    bitsPerSample: format.bits, dataOffset: offset, dataLength: length)
                guard header.frames > 0 else { throw TrackError(description: "truncated WAV file (no audio data)") }
                return header
            default:
                break
            }
            offset += size + size % 2
            guard offset <= fileSize else { throw TrackError(description: "truncated WAV file (chunk '\(id)' runs past the end)") }
            try handle.seek(toOffset: offset)
        }
        throw TrackError(description: "not a valid WAV file (no audio data chunk)")
    }

    private static func read(_ handle: FileHandle, _ count: Int, what: String) throws -> Data {
        let data = (try? handle.read(upToCount: count)) ?? Data()
        guard data.count == count else { throw TrackError(description: "truncated WAV file (\(what) cut off)") }
        return data
    }

    private static func le16(_ data: Data, _ at: Int) -> UInt16 {
        let base = data.startIndex + at
        return UInt16(data[base]) | UInt16(data[base + 1]) << 8
    }

    private static func le32(_ data: Data, _ at: Int) -> UInt32 {
        let base = data.startIndex + at
        return UInt32(data[base]) | UInt32(data[base + 1]) << 8 | UInt32(data[base + 2]) << 16 | UInt32(data[base + 3]) << 24
    }
}
