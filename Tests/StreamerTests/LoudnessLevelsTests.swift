import Foundation
import Logging
import Loudness
import StationKit
import Testing

@testable import Streamer

@Suite struct LoudnessLevelsTests {
    private let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// A mono 1 kHz sine WAV at `amplitude` (full scale 1).
    private func sine(_ folder: TemporaryFolder, _ name: String, amplitude: Double, seconds: Double = 3) throws -> String {
        let samples = (0..<Int(44_100 * seconds)).map { Int16(amplitude * 32767 * sin(2 * Double.pi * 1000 * Double($0) / 44_100)) }
        let path = folder.path(name)
        try Data(wavBytes(samples: samples)).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func filesTwentyDecibelsApartGetGainsTwentyDecibelsApartAndAreRemembered() throws {
        let folder = try TemporaryFolder()
        let loud = try sine(folder, "loud.wav", amplitude: 0.5), quiet = try sine(folder, "quiet.wav", amplitude: 0.05)
        let cache = folder.path("cache/loudness.tsv")
        let levels = LoudnessLevels(target: -16, cacheFile: cache, logger: logger)
        // Not measured yet: 0 dB at once (no ReplayGain tag), measured in the background.
        #expect(levels.gain(for: loud, tags: TrackTags()) == 0)
        levels.prepare([quiet])
        levels.drain(seconds: 20)
        let loudGain = levels.gain(for: loud, tags: TrackTags()), quietGain = levels.gain(for: quiet, tags: TrackTags())
        // A 1 kHz sine at -6 dBFS in one channel measures -9 LUFS.
        #expect(abs(loudGain - -7) < 0.2)
        #expect(abs(quietGain - loudGain - 20) < 0.1)

        let again = LoudnessLevels(target: -16, cacheFile: cache, logger: logger)
        #expect(again.measurement(of: quiet) == levels.measurement(of: quiet))
        _ = try sine(folder, "quiet.wav", amplitude: 0.05, seconds: 4)  // changed: measured again
        #expect(again.measurement(of: quiet) == nil)
    }

    @Test func aReplayGainTagIsUsedInsteadOfMeasuring() throws {
        let folder = try TemporaryFolder()
        let tagged = try sine(folder, "tagged.wav", amplitude: 0.5)
        let levels = LoudnessLevels(target: -16, cacheFile: nil, logger: logger)
        #expect(levels.gain(for: tagged, tags: TrackTags(replayGain: -3)) == -1)
        levels.drain(seconds: 5)
        #expect(levels.measurement(of: tagged) == nil)  // never measured
        #expect(levels.gain(for: tagged, tags: TrackTags(replayGain: -3)) == -1)
    }

    @Test func theTruePeakCeilingAndReplayGainTags() {
        // -20 LUFS with a true peak of -2 dBTP: +4 dB would clip past -1 dBTP, so +1 dB.
        #expect(LoudnessLevels.gain(target: -16, measurement: LoudnessMeasurement(integrated: -20, truePeak: -2)) == 1)
        #expect(LoudnessLevels.gain(target: -16, measurement: LoudnessMeasurement(integrated: -.infinity, truePeak: -.infinity)) == 0)
        let levels = LoudnessLevels(target: -16, cacheFile: nil, logger: logger)
        // ReplayGain 2 refers to -18 LUFS: a -3 dB tag means -15 LUFS, so -1 dB for -16 LUFS.
        #expect(levels.gain(for: "/nonexistent.ogg", tags: TrackTags(replayGain: -3, replayPeak: nil)) == -1)
        #expect(levels.gain(for: "/nonexistent.ogg", tags: TrackTags(replayGain: 6, replayPeak: 0.9)) == -1 - 20 * log10(0.9))
        #expect(TrackTags.number("-3.21 dB") == -3.21)
        #expect(TrackTags.number("loud") == nil)
    }
}
