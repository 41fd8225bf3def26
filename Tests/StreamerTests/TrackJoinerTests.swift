import Foundation
import Logging
import StationKit
import Testing

@testable import Streamer

@Suite struct TrackJoinerTests {
    /// Plays scripted tracks (title, samples) in 1000-frame mono chunks, then silence.
    final class Script: AudioSource {
        var tracks: [(String, [Float])]
        var position = 0
        init(_ tracks: [(String, [Float])]) { self.tracks = tracks }
        var summary: String { "script" }
        var isDeviceClocked: Bool { false }
        func nextChunk() -> AudioChunk {
            let format = AudioFormat(sampleRate: 1000, channels: 1)
            guard let (title, samples) = tracks.first else { return AudioChunk(samples: [Float](repeating: 0, count: 100), format: format) }
            let start = position
            let end = min(samples.count, start + 100)
            position = end
            if end == samples.count { tracks.removeFirst(); position = 0 }
            return AudioChunk(
                samples: Array(samples[start..<end]), format: format,
                track: start == 0 ? TrackInfo(title: TrackTitle(text: title), duration: nil) : nil)
        }
    }

    private func run(_ joiner: TrackJoiner, frames: Int) -> (samples: [Float], titles: [(String, Int)]) {
        var samples: [Float] = []
        var titles: [(String, Int)] = []
        for _ in 0..<1000 where samples.count < frames {
            let chunk = joiner.nextChunk()
            if let track = chunk.track { titles.append((track.title.text, samples.count)) }
            samples += chunk.samples
        }
        return (samples, titles)
    }

    private let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    private let silence = [Float](repeating: 0, count: 300)

    @Test func silenceAtBothEndsIsCutAndTracksFollowGaplessly() {
        let a = silence + [Float](repeating: 0.5, count: 1000) + silence
        let b = silence + [Float](repeating: -0.25, count: 1000)
        let joiner = TrackJoiner(
            inner: Script([("A", a), ("B", b), ("C", [Float](repeating: 0.1, count: 2000))]),
            format: AudioFormat(sampleRate: 1000, channels: 1), crossfade: 0, thresholdDBFS: -50, logger: logger)
        let (samples, titles) = run(joiner, frames: 2000)
        #expect(titles.map(\.0) == ["A", "B"])
        #expect(titles.map(\.1) == [0, 1000])
        #expect(samples.prefix(1000).allSatisfy { $0 == 0.5 })
        #expect(samples[1000..<2000].allSatisfy { $0 == -0.25 })
    }

    @Test func aCrossfadeOverlapsTheEndOfATrackWithTheNext() {
        let a = [Float](repeating: 0.5, count: 2000) + silence
        let b = silence + [Float](repeating: 0.25, count: 2000)
        let joiner = TrackJoiner(
            inner: Script([("A", a), ("B", b), ("C", [Float](repeating: 0.1, count: 2000))]),
            format: AudioFormat(sampleRate: 1000, channels: 1), crossfade: 0.5, thresholdDBFS: -50, logger: logger)
        let (samples, titles) = run(joiner, frames: 3500)
        // A's 2 s and B's 2 s overlap by 0.5 s: B's title at 1.5 s.
        #expect(titles.map(\.0).prefix(2) == ["A", "B"])
        #expect(titles[1].1 == 1500)
        #expect(samples[1499] == 0.5)
        #expect(abs(samples[1750] - 0.375) < 0.01)  // halfway: half of each
        #expect(samples[2000..<3000].allSatisfy { $0 == 0.25 })  // its last 0.5 s fades into C
    }

    @Test func aFadeLongerThanABlockGoesOutWholeAndInOrder() {
        // A 10 s fade at 1 kHz is 10 000 frames, more than the 4 096 of one block: it goes out in
        // pieces, each sample once, B's title only on the first.
        let a = [Float](repeating: 0.5, count: 30_000)
        let b = [Float](repeating: 0.25, count: 30_000)
        let joiner = TrackJoiner(
            inner: Script([("A", a), ("B", b), ("C", [Float](repeating: 0.1, count: 20_000))]),
            format: AudioFormat(sampleRate: 1000, channels: 1), crossfade: 10, thresholdDBFS: -50, logger: logger)
        let (samples, titles) = run(joiner, frames: 34_000)
        #expect(titles.map(\.0).prefix(2) == ["A", "B"])
        #expect(titles[1].1 == 20_000)
        #expect(samples[19_999] == 0.5)
        // The fade falls steadily from A's level to B's, with no sample repeated or lost.
        let fade = Array(samples[20_000..<30_000])
        #expect(zip(fade, fade.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(abs(fade[5000] - 0.375) < 0.001)
        #expect(samples[30_000..<34_000].allSatisfy { $0 == 0.25 })
    }
}
