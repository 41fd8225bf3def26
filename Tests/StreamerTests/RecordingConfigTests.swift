import Foundation
import StationKit
import Testing

@testable import Streamer

@Suite struct RecordingConfigTests {
    let base = URL(fileURLWithPath: "/srv/radio", isDirectory: true)

    func load(_ yaml: String) throws(ConfigError) -> DaemonConfig {
        try DaemonConfig.parse(yaml: yaml, file: "onaird.yaml", baseDirectory: base, environment: ["ONAIR_SOURCE_PASSWORD": "x"])
    }

    func error(_ yaml: String) -> String {
        do {
            _ = try load(yaml)
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func everyKeyWithItsDefault() throws {
        let recording = try #require(try load("record: { dir: ./recordings }\n").recording)
        #expect(
            recording
                == RecordingSettings(
                    dir: "/srv/radio/recordings", format: .opus, bitrate: 96, keepDays: 30,
                    scheduleFile: "/srv/radio/site/schedule.json"))
        #expect(try load("record: { dir: /r, format: mp3 }\n").recording?.bitrate == 128)
        let set = try #require(try load("record: { dir: /r, format: vorbis, bitrate: 160, keep_days: 0 }\n").recording)
        #expect(set.format == .vorbis && set.bitrate == 160 && set.keepDays == 0)
        #expect(set.output == OutputSettings(mount: "/recording", format: .vorbis, quality: nil, bitrate: 160))
        #expect(try load("interval: 5\n").recording == nil)
        #expect(try load("record: false\n").recording == nil)
        #expect(try load("record: { dir: /r }\n").engineSettings.recording?.dir == "/r")
    }

    /// Without a bitrate the recording takes the same-format output's, so it can take its packets.
    @Test func theRecordingSharesTheOpusOutputOfItsBitrate() throws {
        let outputs = "outputs: [{ mount: /radio.ogg }, { mount: /radio.opus, format: opus, bitrate: 64 }]\n"
        let config = try load(outputs + "record: { dir: /r }\n")
        let recording = try #require(config.recording)
        #expect(recording.bitrate == 64)
        #expect(config.outputs.map { recording.canShare($0) } == [false, true])
        let other = try #require(try load(outputs + "record: { dir: /r, bitrate: 96 }\n").recording)
        #expect(!other.canShare(config.outputs[1]))
        let mp3 = try #require(try load("outputs: [{ mount: /a.mp3, format: mp3, bitrate: 192 }]\nrecord: { dir: /r, format: mp3 }\n").recording)
        #expect(mp3.bitrate == 192 && mp3.canShare(OutputSettings(mount: "/a.mp3", format: .mp3, quality: nil, bitrate: 192)))
        #expect(!mp3.canShare(OutputSettings(mount: "/a.mp3", format: .mp3, quality: 2, bitrate: nil)))  // VBR
        let vorbis = try #require(try load("outputs: [{ mount: /a.ogg, bitrate: 96 }]\nrecord: { dir: /r, format: vorbis }\n").recording)
        #expect(vorbis.bitrate == 96 && !vorbis.canShare(OutputSettings(mount: "/a.ogg", format: .vorbis, quality: nil, bitrate: 96)))
    }

    @Test(arguments: [
        ("record: { format: opus }\n", "onaird.yaml:1: 'record.dir' must be set to the folder recordings go to (e.g. ./recordings), not missing"),
        ("record: { dir: /r, format: flac }\n", "onaird.yaml:1: 'record.format' must be opus, mp3 or vorbis, not 'flac'"),
        (
            "record: { dir: /r, format: mp3, bitrate: 500 }\n",
            "onaird.yaml:1: 'record.bitrate' must be a bitrate in kbit/s from 32 to 320 for mp3, not '500'"
        ),
        (
            "record: { dir: /r, keep_days: -1 }\n",
            "onaird.yaml:1: 'record.keep_days' must be a number of days from 0 (keep every recording) to 36500, not '-1'"
        ),
    ])
    func badValuesSayWhatToDo(yaml: String, expected: String) {
        #expect(error(yaml) == expected)
    }

    @Test func unknownKeysAreRejectedLikeTheRest() {
        let message = error("record: { dir: /r, keep_day: 3 }\n")
        #expect(message.contains("keep_day"), "\(message)")
        #expect(message.contains("keep_days"), "\(message)")
    }
}
