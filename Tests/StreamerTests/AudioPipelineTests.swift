import Foundation
import StationKit
import Testing

@testable import Streamer

@Suite struct ToneSourceTests {
    @Test(arguments: [(440.0, 44_100, 2), (1000.0, 48_000, 1), (220.0, 22_050, 2)])
    func toneHasItsFrequency(frequency: Double, sampleRate: Int, channels: Int) {
        let tone = ToneSource(
            frequency: frequency, titleEvery: 0,
            format: AudioFormat(sampleRate: sampleRate, channels: channels))
        var samples: [Float] = []
        while samples.count < sampleRate * channels * 2 { samples += tone.nextChunk().samples }
        let seconds = Double(samples.count / channels) / Double(sampleRate)
        for channel in 0..<channels {
            let measured = Double(risingZeroCrossings(samples, channels: channels, channel: channel)) / seconds
            #expect(abs(measured - frequency) < 2)
        }
    }

    @Test func fixedTitleThenNone() {
        let tone = ToneSource(frequency: 440, titleEvery: 0, format: AudioFormat())
        #expect(tone.nextChunk().track?.title.text == "OnAir test tone 440 Hz")
        #expect(tone.nextChunk().track == nil)
    }

    @Test func titleChangesEveryNSecondsOfAudio() {
        let format = AudioFormat(sampleRate: 8000, channels: 1)
        let tone = ToneSource(frequency: 440, titleEvery: 1, format: format, framesPerChunk: 3000)
        var titles: [(frame: Int, text: String)] = []
        var frames = 0
        while frames < 8000 * 3 {
            let chunk = tone.nextChunk()
            if let track = chunk.track { titles.append((frames, track.title.text)) }
            frames += chunk.frames
        }
        #expect(titles.map(\.text) == ["Test tone #1", "Test tone #2", "Test tone #3"])
        #expect(titles.map(\.frame) == [0, 8000, 16_000])
    }
}

@Suite struct BackoffTests {
    @Test func doublesFromOneSecondToThirty() {
        var backoff = Backoff()
        #expect((0..<7).map { _ in backoff.next() } == [1, 2, 4, 8, 16, 30, 30])
        backoff.reset()
        #expect(backoff.next() == 1)
    }
}

@Suite struct PacerTests {
    @Test func deadlinesComeFromTheStartInstant() {
        var pacer = Pacer(sampleRate: 44_100, start: 1_000, lead: 0.5, batch: 0)
        pacer.didSend(frames: 44_100)
        #expect(pacer.dueAt == 1_000 + 1_000_000_000)
        // At the start instant one second of audio is out: wait until only 0.5 s is ahead.
        #expect(pacer.wait(at: 1_000) == 500_000_000)
        #expect(pacer.wait(at: 1_000 + 600_000_000) == 0)
    }

    @Test func fullItSleepsUntilABatchIsDue() {
        var pacer = Pacer(sampleRate: 1000, start: 0, lead: 1, batch: 0.5)
        pacer.didSend(frames: 900)
        #expect(pacer.wait(at: 0) == 0)  // 0.9 s ahead: keep filling
        pacer.didSend(frames: 100)
        // 1 s ahead: sleep until 0.5 s is ahead, then 0.5 s of audio is made in one go.
        #expect(pacer.wait(at: 0) == 500_000_000)
        #expect(pacer.wait(at: 500_000_000) == 0)
        pacer.didSend(frames: 500)
        #expect(pacer.wait(at: 500_000_000) == 500_000_000)
    }

    @Test func anHourOfSmallBlocksDoesNotDrift() {
        var pacer = Pacer(sampleRate: 44_100, start: 0, lead: 0, batch: 0)
        // 1 hour in blocks of 1 023 frames (not a divisor of the rate): rounding must not add up.
        let blocks = 44_100 * 3600 / 1023
        for _ in 0..<blocks { pacer.didSend(frames: 1023) }
        pacer.didSend(frames: 44_100 * 3600 - blocks * 1023)
        #expect(pacer.dueAt == 3_600_000_000_000)
    }

    @Test func exactNanosecondsForOddRates() {
        #expect(Pacer.nanoseconds(frames: 22_050, sampleRate: 44_100) == 500_000_000)
        #expect(Pacer.nanoseconds(frames: 1, sampleRate: 48_000) == 20_833)
        #expect(Pacer.nanoseconds(frames: 48_000 * 86_400 * 365, sampleRate: 48_000) == 86_400 * 365 * 1_000_000_000)
    }

    @Test func farBehindReanchorsInsteadOfBursting() {
        var pacer = Pacer(sampleRate: 1000, start: 0, lead: 0.5, batch: 0, maxLag: 5)
        pacer.didSend(frames: 1000)
        // 20 s later (a stalled connection): no wait, and the start moves so the next block is paced again.
        #expect(pacer.wait(at: 20_000_000_000) == 0)
        #expect(pacer.dueAt == 20_000_000_000)
        pacer.didSend(frames: 1000)
        #expect(pacer.wait(at: 20_000_000_000) == 500_000_000)
    }
}
