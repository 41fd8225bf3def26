import Foundation
import StationKit
import Testing
import Vorbis

@testable import Streamer

@Suite struct VorbisEncoderTests {
    /// Encodes `seconds` of a 440 Hz tone as one logical bitstream with `comments`.
    private func encodeTone(
        seconds: Double, comments: [(String, String)], serial: Int32,
        sampleRate: Int = 44_100, channels: Int = 2
    ) throws -> [UInt8] {
        let encoder = try VorbisEncoder(
            sampleRate: sampleRate, channels: channels, mode: .quality(0.4),
            comments: comments, serial: serial)
        let tone = ToneSource(
            frequency: 440, titleEvery: 0,
            format: AudioFormat(sampleRate: sampleRate, channels: channels))
        var bytes = encoder.headerPages
        var frames = 0
        while Double(frames) < seconds * Double(sampleRate) {
            let chunk = tone.nextChunk()
            frames += chunk.frames
            bytes += encoder.encode(interleaved: chunk.samples)
        }
        return bytes + encoder.finish()
    }

    @Test func encodedStreamDecodesWithItsCommentsAndPitch() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        let comments = TrackTitle(artist: "Sam", title: "Night Drive").vorbisComments
        let path = try folder.write("one.ogg", try encodeTone(seconds: 1, comments: comments, serial: 1234))

        let file = try VorbisFile(path: path)
        let links = file.links
        #expect(links.count == 1)
        #expect(links.first?.serial == 1234)
        #expect(links.first?.comment("TITLE") == "Night Drive")
        #expect(links.first?.comment("ARTIST") == "Sam")
        #expect(links.first?.comment("ENCODER") == "OnAir")
        #expect(links.first?.sampleRate == 44_100)
        #expect(links.first?.channels == 2)

        var decoded: [Float] = []
        while let block = try file.read(maxFrames: 4096) { decoded += block.samples }
        let frames = decoded.count / 2
        #expect(abs(frames - 44_100) < 2048)
        // 440 Hz: about 440 rising zero crossings in one second.
        let crossings = risingZeroCrossings(decoded, channels: 2)
        #expect(abs(Double(crossings) * 44_100 / Double(frames) - 440) < 5)
    }

    @Test func chainedStreamsCarryNewCommentsAndSerials() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        let first = try encodeTone(seconds: 0.5, comments: TrackTitle(text: "Test tone #1").vorbisComments, serial: 7)
        let second = try encodeTone(seconds: 0.5, comments: TrackTitle.parse("Ana - Second Song").vorbisComments, serial: 8)
        let path = try folder.write("chain.ogg", first + second)

        let links = try VorbisFile(path: path).links
        #expect(links.map(\.serial) == [7, 8])
        #expect(links.map { $0.comment("TITLE") } == ["Test tone #1", "Second Song"])
        #expect(links.map { $0.comment("ARTIST") } == [nil, "Ana"])
    }

    /// Granule positions of the Ogg pages in `bytes` (all complete pages, in order).
    private func pageGranules(_ bytes: [UInt8]) -> [Int64] {
        var granules: [Int64] = []
        var at = 0
        while at + 27 <= bytes.count, bytes[at..<at + 4].elementsEqual(Array("OggS".utf8)) {
            var granule: Int64 = 0
            for i in (0..<8).reversed() { granule = granule << 8 | Int64(bytes[at + 6 + i]) }
            let segments = Int(bytes[at + 26])
            let body = bytes[(at + 27)..<(at + 27 + segments)].reduce(0) { $0 + Int($1) }
            granules.append(granule)
            at += 27 + segments + body
        }
        return granules
    }

    @Test func quietAudioStillLeavesInShortPagesAndTheFirstAtOnce() throws {
        // A soft tone fills libogg's 4 KB pages slowly; Icecast forwards whole pages only, so a new
        // title (new headers) would wait for a page for seconds. Pages close every 0.25 s instead.
        let encoder = try VorbisEncoder(sampleRate: 44_100, channels: 2, mode: .quality(0.4), comments: [], serial: 5)
        let quiet = (0..<(44_100 * 4)).map { i in Float(0.01 * sin(Double(i / 2) * 2 * .pi * 440 / 44_100)) }
        var first: [UInt8] = []
        var out: [UInt8] = []
        for start in stride(from: 0, to: quiet.count, by: 4096) {
            let bytes = encoder.encode(interleaved: Array(quiet[start..<min(quiet.count, start + 4096)]))
            if first.isEmpty { first = bytes }
            out += bytes
        }
        #expect(!first.isEmpty, "the first audio page goes out with the first block")
        let granules = pageGranules(out)
        #expect(granules.count >= 7, "two seconds of audio in \(granules.count) pages")
        for (a, b) in zip(granules, granules.dropFirst()) {
            #expect(b - a <= 11_025 + 2048, "a page spans \(b - a) frames")
        }
    }

    @Test func monoAt48kHzEncodes() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        let path = try folder.write(
            "mono.ogg",
            try encodeTone(
                seconds: 0.3, comments: [], serial: 3,
                sampleRate: 48_000, channels: 1))
        let link = try #require(try VorbisFile(path: path).links.first)
        #expect(link.sampleRate == 48_000 && link.channels == 1)
    }

    @Test func impossibleSettingsThrowANamedError() throws {
        let error = try #require(throws: VorbisError.self) {
            _ = try VorbisEncoder(sampleRate: 44_100, channels: 2, mode: .bitrate(5000), comments: [], serial: 1)
        }
        #expect(error.function == "vorbis_encode_init")
    }

    @Test func corruptOggIsRefusedWithoutACrash() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        let good = try encodeTone(seconds: 0.5, comments: [], serial: 5)
        let path = try folder.write("corrupt.ogg", Array(good.prefix(300)) + [UInt8](repeating: 0x5A, count: 5000))
        let error = try #require(throws: TrackError.self) { try TrackDecoders.open(path) }
        #expect(error.description.hasPrefix("not a valid Ogg Vorbis file (ov_fopen failed"))
        #expect(throws: VorbisError.self) { try VorbisFile(path: path) }
    }

    @Test func notAnOggFileIsRefused() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        let path = try folder.write("text.ogg", Array("just some text, not audio\n".utf8))
        #expect(throws: TrackError(description: "not an MP3, FLAC, Ogg Vorbis, Ogg Opus or WAV file")) { try TrackDecoders.open(path) }
    }
}
