import Foundation
import Logging
import Testing

@testable import Streamer

@Suite struct PlaylistSourceTests {
    private final class Events: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [EngineEvent] = []
        func append(_ event: EngineEvent) { lock.withLock { list.append(event) } }
        var all: [EngineEvent] { lock.withLock { list } }
    }

    private let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test func badFilesAreSkippedAndGoodOnesPlayInOrder() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        _ = try folder.write("01_notes.ogg", Array("not audio at all".utf8))
        _ = try folder.write("02_first-song.wav", wavBytes(samples: [Int16](repeating: 1000, count: 3000)))
        _ = try folder.write("03_empty.wav", [])
        _ = try folder.write("04_second.wav", wavBytes(samples: [Int16](repeating: -1000, count: 3000)))
        let events = Events()
        let source = PlaylistSource(
            path: folder.url.path, shuffle: false, format: AudioFormat(sampleRate: 44_100, channels: 1),
            logger: logger, emit: events.append)
        var titles: [String] = []
        var frames = 0
        for _ in 0..<6 {
            let chunk = source.nextChunk()
            if let track = chunk.track { titles.append(track.title.text) }
            frames += chunk.frames
        }
        #expect(titles.prefix(2) == ["first song", "second"])
        #expect(
            events.all.prefix(2) == [
                .trackSkipped(path: folder.path("01_notes.ogg"), reason: "not an MP3, FLAC, Ogg Vorbis, Ogg Opus or WAV file"),
                .trackSkipped(path: folder.path("03_empty.wav"), reason: "the file is empty"),
            ])
        #expect(frames >= 6000)
    }

    @Test func nothingPlayableGivesSilenceUnderAClearTitleAndReportsOnce() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        _ = try folder.write("a.ogg", Array("text".utf8))
        _ = try folder.write("b.wav", Array(wavBytes(samples: [1, 2]).prefix(20)))
        let events = Events()
        let source = PlaylistSource(
            path: folder.url.path, shuffle: true, format: AudioFormat(sampleRate: 8000, channels: 2),
            logger: logger, recheckInterval: 0, emit: events.append)
        let first = source.nextChunk()
        #expect(first.track?.title == PlaylistSource.silenceTitle)
        #expect(first.samples.allSatisfy { $0 == 0 } && !first.samples.isEmpty)
        #expect(events.all.count == 2)
        // Checked again (recheck interval 0 here): still nothing, and no repeated reports.
        for _ in 0..<5 {
            let chunk = source.nextChunk()
            #expect(chunk.track == nil && !chunk.samples.isEmpty)
        }
        #expect(events.all.count == 2)
    }

    @Test func skipEndsTheTrackAtOnce() throws {
        let folder = try AudioTestFolder()
        defer { folder.remove() }
        _ = try folder.write("1.wav", wavBytes(samples: [Int16](repeating: 5, count: 44_100)))
        _ = try folder.write("2.wav", wavBytes(samples: [Int16](repeating: 5, count: 44_100)))
        let source = PlaylistSource(
            path: folder.url.path, shuffle: false, format: AudioFormat(sampleRate: 44_100, channels: 1),
            logger: logger, emit: { _ in })
        #expect(source.nextChunk().track?.title.text == "1")
        source.skip()
        #expect(source.nextChunk().track?.title.text == "2")
    }
}
