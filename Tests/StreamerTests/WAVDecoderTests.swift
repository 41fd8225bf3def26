import Foundation
import Testing

@testable import Streamer

@Suite struct WAVDecoderTests {
    @Test func goodFileDecodes() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        let samples: [Int16] = [0, 16_384, -16_384, 32_767, -32_768, 1]
        let path = try folder.write("03_night-drive.wav", wavBytes(samples: samples, channels: 2, sampleRate: 48_000))
        let decoder = try WAVDecoder(path: path)
        #expect(decoder.header.channels == 2)
        #expect(decoder.header.sampleRate == 48_000)
        #expect(decoder.header.frames == 3)
        #expect(decoder.title.text == "night drive")
        let block = try #require(try decoder.read(maxFrames: 100))
        #expect(block.format == AudioFormat(sampleRate: 48_000, channels: 2))
        #expect(block.samples == [0, 0.5, -0.5, Float(32_767) / 32_768, -1, Float(1) / 32_768])
        #expect(try decoder.read(maxFrames: 100) == nil)
    }

    @Test func opensByContentNotByName() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        let path = try folder.write("looks-like.ogg", wavBytes(samples: [1, 2, 3, 4]))
        #expect(try TrackDecoders.open(path) is WAVDecoder)
    }

    @Test func cutOffAudioPlaysWhatIsThere() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        // The header promises 1000 bytes of audio; only 8 are there.
        let path = try folder.write("cut.wav", wavBytes(samples: [1, 2, 3, 4], declaredDataLength: 1000))
        let decoder = try WAVDecoder(path: path)
        #expect(decoder.header.frames == 4)
        #expect(try decoder.read(maxFrames: 100)?.samples.count == 4)
    }

    @Test(arguments: [
        (Array(wavBytes(samples: [1, 2, 3]).prefix(30)), "truncated WAV file (fmt chunk cut off)"),
        (Array(wavBytes(samples: [1, 2, 3]).prefix(38)), "truncated WAV file (chunk header cut off)"),
        (Array(wavBytes(samples: [1, 2, 3]).prefix(8)), "truncated WAV file (RIFF header cut off)"),
        (Array(wavBytes(samples: []).prefix(44)), "truncated WAV file (no audio data)"),
        (Array("hello, this is text".utf8), "not a WAV file (no RIFF header)"),
        (Array("RIFF\u{0}\u{0}\u{0}\u{0}AVI LIST".utf8), "not a WAV file (RIFF but not WAVE)"),
    ])
    func badFilesAreRefusedWithAReason(bytes: [UInt8], expected: String) throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        let path = try folder.write("bad.wav", bytes)
        #expect(throws: TrackError(description: expected)) { try WAVDecoder(path: path) }
    }

    @Test func unsupportedEncodingIsNamed() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        var bytes = wavBytes(samples: [1, 2])
        bytes[20] = 2  // format tag 2 (ADPCM)
        let path = try folder.write("adpcm.wav", bytes)
        #expect(throws: TrackError(description: "unsupported WAV encoding (format 2, 16 bits): use 16-bit PCM")) {
            try WAVDecoder(path: path)
        }
    }
}

@Suite struct PlaylistTests {
    @Test func folderIsScannedByNameAndChangesAreSeenAtTheNextTrack() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        for name in ["b.ogg", "a.wav", "notes.txt", ".hidden.ogg", "c.OGG"] { _ = try folder.write(name, [0]) }
        var playlist = Playlist(path: folder.url.path, shuffle: false)
        #expect(playlist.next() == folder.path("a.wav"))
        #expect(playlist.next() == folder.path("b.ogg"))
        _ = try folder.write("bb.ogg", [0])
        #expect(playlist.next() == folder.path("bb.ogg"))
        #expect(playlist.next() == folder.path("c.OGG"))
        #expect(playlist.next() == folder.path("a.wav"))
    }

    @Test func m3uKeepsItsOrderAndResolvesRelativePaths() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        let list = try folder.write("list.m3u", Array("#EXTM3U\nz.ogg\n\n# comment\n/abs/a.wav\nz.ogg\n".utf8))
        var playlist = Playlist(path: list, shuffle: false)
        #expect((0..<4).compactMap { _ in playlist.next() } == [folder.path("z.ogg"), "/abs/a.wav", folder.path("z.ogg"), folder.path("z.ogg")])
    }

    @Test func shufflePlaysEveryFileOncePerRound() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        let names = (1...8).map { "\($0).ogg" }
        for name in names { _ = try folder.write(name, [0]) }
        var playlist = Playlist(path: folder.url.path, shuffle: true)
        let round = (0..<8).compactMap { _ in playlist.next() }
        #expect(Set(round) == Set(names.map { folder.path($0) }))
    }

    @Test func emptyOrMissingPlaylistGivesNothing() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        var empty = Playlist(path: folder.url.path, shuffle: false)
        #expect(empty.next() == nil)
        var missing = Playlist(path: folder.path("nope"), shuffle: true)
        #expect(missing.next() == nil)
    }
}

@Suite struct FormatConverterTests {
    @Test func remixesMonoAndStereo() {
        #expect(FormatConverter.remix([0.5, -0.5], from: 1, to: 2) == [0.5, 0.5, -0.5, -0.5])
        #expect(FormatConverter.remix([0.5, 0.25, -1, 0], from: 2, to: 1) == [0.375, -0.5])
    }

    @Test func resamplesWithLibsamplerateKeepingThePitch() throws {
        let converter = FormatConverter(target: AudioFormat(sampleRate: 44_100, channels: 2))
        let tone = ToneSource(frequency: 440, titleEvery: 0, format: AudioFormat(sampleRate: 48_000, channels: 1))
        var out: [Float] = []
        for _ in 0..<60 { out += try converter.convert(tone.nextChunk().samples, from: AudioFormat(sampleRate: 48_000, channels: 1)) }
        let frames = out.count / 2
        // 60 blocks of 2048 frames at 48 kHz = 2.56 s, about 112 896 frames at 44.1 kHz (minus the filter's delay).
        #expect(abs(frames - 112_896) < 2000)
        let crossings = Double(risingZeroCrossings(Array(out[20_000...]), channels: 2))
        let seconds = Double((out.count - 20_000) / 2) / 44_100
        #expect(abs(crossings / seconds - 440) < 3)
    }
}
