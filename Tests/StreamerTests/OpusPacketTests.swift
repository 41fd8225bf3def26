import Foundation
import Opus
import Testing

/// An output's Opus packets, taken from its encoder and muxed into a file of their own (a recording
/// that costs no second encode).
@Suite struct OpusPacketTests {
    /// Three seconds of a 440 Hz tone in 0.1 s blocks, with the encoder's stream chained (a title
    /// change on the output) after each block in `chainAfter`.
    func packets(chainAfter: Set<Int>) throws -> [[UInt8]] {
        let encoder = try OggOpusEncoder(channels: 2, bitrate: 64, comments: [("TITLE", "One")], tapPackets: true)
        var packets: [[UInt8]] = []
        for block in 0..<30 {
            let samples = (0..<4_800 * 2).map { index in
                Float(0.4 * sin(2 * Double.pi * 440 * Double(block * 4_800 + index / 2) / 48_000))
            }
            _ = try encoder.encode(interleaved: samples)
            if chainAfter.contains(block) { _ = try encoder.chain(comments: [("TITLE", "Next \(block)")]) }
            packets += encoder.takePackets()
        }
        _ = encoder.finish()
        return packets + encoder.takePackets()
    }

    @Test func chainedStreamsGiveEachPacketOnceAndNoHeaders() throws {
        let plain = try packets(chainAfter: [])
        let chained = try packets(chainAfter: [4, 11, 20])
        #expect(plain.count == chained.count)
        #expect(plain.count >= 150 && plain.count <= 152)  // 20 ms packets over 3 s (+ the look-ahead)
        #expect(!chained.contains { $0.starts(with: Array("OpusHead".utf8)) || $0.starts(with: Array("OpusTags".utf8)) })
    }

    @Test func packetsMuxedIntoAFileDecodeToTheSameLengthWithTheFilesOwnTitle() throws {
        let folder = try TemporaryFolder()
        let writer = try OggOpusPacketWriter(channels: 2, inputRate: 44_100, comments: [("TITLE", "Jazz Hour")])
        var bytes = writer.start()
        let packets = try packets(chainAfter: [4, 11, 20])
        bytes += writer.write(Array(packets[..<70]))
        bytes += writer.write(Array(packets[70...]))
        bytes += writer.finish()
        try Data(bytes).write(to: URL(fileURLWithPath: folder.path("out.opus")))

        let decoder = try OpusFileDecoder(path: folder.path("out.opus"))
        #expect(decoder.comment("TITLE") == "Jazz Hour")
        var samples: [Float] = []
        while let block = try decoder.read(maxFrames: 4_800) { samples += block }
        let seconds = Double(samples.count / 2) / 48_000
        #expect(abs(seconds - 3.0) < 0.03)
        // The tone is whole: no gap or repeated packet at the chain points (each 0.1 s has sound).
        for tenth in 1..<29 {
            let slice = samples[tenth * 9_600..<(tenth + 1) * 9_600]
            #expect((slice.map(abs).max() ?? 0) > 0.3, "tenth \(tenth)")
        }
    }
}
