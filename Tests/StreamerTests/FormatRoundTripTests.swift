import Foundation
import StationKit
import Testing

@testable import Streamer

/// Each stream encoder's bytes, written to a file, come back through the playlist's decoders with
/// their pitch (and, for Ogg Opus, their title).
@Suite struct FormatRoundTripTests {
    private func encodeTone(
        _ encoder: StreamEncoder, seconds: Double, format: AudioFormat,
        retitle: TrackTitle? = nil
    ) throws -> [UInt8] {
        let tone = ToneSource(frequency: 440, titleEvery: 0, format: format)
        var bytes = try encoder.start()
        var frames = 0
        while Double(frames) < seconds * Double(format.sampleRate) {
            let chunk = tone.nextChunk()
            frames += chunk.frames
            bytes += try encoder.encode(chunk.samples)
            if let retitle, frames >= format.sampleRate / 2, frames - chunk.frames < format.sampleRate / 2 {
                bytes += try encoder.changeTitle(retitle)
            }
        }
        return bytes + encoder.finish()
    }

    private func decodeAll(_ path: String) throws -> (decoder: TrackDecoder, samples: [Float], format: AudioFormat) {
        let decoder = try TrackDecoders.open(path)
        var samples: [Float] = []
        var format = AudioFormat()
        while let block = try decoder.read(maxFrames: 4096) {
            samples += block.samples
            format = block.format
        }
        return (decoder, samples, format)
    }

    private func hertz(_ samples: [Float], _ format: AudioFormat) -> Double {
        let frames = samples.count / format.channels
        // Leave out the encoder's start-up (priming) quarter second.
        let skip = format.sampleRate / 4 * format.channels
        let body = Array(samples.dropFirst(skip))
        let seconds = Double(frames - format.sampleRate / 4) / Double(format.sampleRate)
        return Double(risingCrossings(body, channels: format.channels)) / seconds
    }

    /// Rising crossings with hysteresis (below -0.1, then above 0.1): coding noise near zero is not a cycle.
    private func risingCrossings(_ samples: [Float], channels: Int) -> Int {
        var count = 0, low = false
        for index in stride(from: 0, to: samples.count, by: channels) {
            if samples[index] < -0.1 { low = true } else if low, samples[index] > 0.1 { count += 1; low = false }
        }
        return count
    }

    @Test(arguments: [MP3Encoder_Mode.cbr, .vbr])
    func mp3ComesBackAt440Hz(mode: MP3Encoder_Mode) throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        let format = AudioFormat(sampleRate: 44_100, channels: 2)
        let output = OutputSettings(
            mount: "/radio.mp3", format: .mp3, quality: mode == .vbr ? 4 : nil,
            bitrate: mode == .cbr ? 128 : nil)
        let encoder = try StreamEncoders.make(output, format: format, title: nil)
        #expect(encoder.usesICYMetadata)
        #expect(try encoder.changeTitle(TrackTitle(text: "x")).isEmpty)
        let path = try folder.write("03_night-drive.mp3", try encodeTone(encoder, seconds: 2, format: format))
        let decoded = try decodeAll(path)
        #expect(decoded.decoder is MP3TrackDecoder)
        #expect(decoded.decoder.title.text == "night drive")
        #expect(decoded.format == format)
        #expect(abs(Double(decoded.samples.count / 2) - 2 * 44_100) < 4096)
        // MP3 pads the end with up to two frames of silence: 10 Hz still tells 44.1 from 48 kHz (40 Hz off).
        #expect(abs(hertz(decoded.samples, decoded.format) - 440) < 10)
    }

    @Test func opusChainsTitlesAndComesBackAt440Hz() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        let format = AudioFormat(sampleRate: 48_000, channels: 2)
        let output = OutputSettings(mount: "/radio.opus", format: .opus, quality: nil, bitrate: 96)
        let encoder = try StreamEncoders.make(output, format: format, title: TrackTitle(artist: "Sam", title: "First"))
        #expect(!encoder.usesICYMetadata)
        let bytes = try encodeTone(encoder, seconds: 2, format: format, retitle: TrackTitle(artist: "Kim", title: "Second"))
        // Two logical streams: two OpusHead and two OpusTags packets.
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.components(separatedBy: "OpusHead").count - 1 == 2)
        #expect(text.contains("TITLE=First") && text.contains("TITLE=Second") && text.contains("ARTIST=Kim"))
        let path = try folder.write("x.opus", bytes)
        let decoded = try decodeAll(path)
        #expect(decoded.decoder is OpusTrackDecoder)
        #expect(decoded.decoder.title == TrackTitle(artist: "Sam", title: "First"))
        #expect(decoded.format == format)
        #expect(abs(hertz(decoded.samples, decoded.format) - 440) < 3)
    }

    @Test func opusFedAt44kHzConvertsItselfAndKeepsThePitch() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        let station = AudioFormat(sampleRate: 44_100, channels: 2)
        let output = OutputSettings(mount: "/radio.opus", format: .opus, quality: nil, bitrate: 96)
        let encoder = try StreamEncoders.make(output, format: station, title: TrackTitle(text: "Tone"))
        let path = try folder.write("x.opus", try encodeTone(encoder, seconds: 2, format: station))
        let decoded = try decodeAll(path)
        // Opus decodes at 48 kHz whatever it was fed; the tone must still be 440 Hz, 2 s long.
        #expect(decoded.format == AudioFormat(sampleRate: 48_000, channels: 2))
        #expect(abs(Double(decoded.samples.count / 2) - 2 * 48_000) < 4096)
        #expect(abs(hertz(decoded.samples, decoded.format) - 440) < 3)
    }

    static let oggPrefix: [UInt8] = Array("OggS".utf8) + [UInt8](repeating: 0, count: 24)
    static let magics: [([UInt8], TrackDecoders.Kind)] = [
        ([UInt8](), TrackDecoders.Kind.empty),
        (Array("ID3\u{04}\u{00}".utf8), .mp3),
        ([0xFF, 0xFB, 0x90, 0x64], .mp3),
        (Array("fLaC\u{00}".utf8), .flac),
        (Array("RIFF\u{00}\u{00}\u{00}\u{00}WAVE".utf8), .wav),
        (Array("Just some text, not audio.\n".utf8), .unknown),
        (oggPrefix + Array("OpusHead".utf8), .opus),
        (oggPrefix + [1] + Array("vorbis".utf8), .vorbis),
        (oggPrefix + Array("\u{7F}FLAC".utf8), .unknown),
    ]

    @Test(arguments: magics)
    func filesAreRecognizedByContent(magic: [UInt8], kind: TrackDecoders.Kind) {
        #expect(TrackDecoders.kind(of: magic) == kind)
    }

    @Test func textNamedMP3IsRefusedWithOneSentence() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        let path = try folder.write("song.mp3", Array("this is not music\n".utf8))
        #expect(throws: TrackError(description: "not an MP3, FLAC, Ogg Vorbis, Ogg Opus or WAV file")) {
            try TrackDecoders.open(path)
        }
    }
}

enum MP3Encoder_Mode: Sendable, CustomStringConvertible {
    case cbr, vbr
    var description: String { self == .cbr ? "CBR" : "VBR" }
}
