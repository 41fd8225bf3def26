import Foundation
import Logging
import StationKit
import Testing

@testable import Streamer

/// The recorder fed PCM blocks stamped with the times they aired (no real clock, no Icecast).
@Suite struct RecorderTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let audio = AudioFormat(sampleRate: 48_000, channels: 2)

    /// `jazz` 10:00–10:01 and `secret` (record: false) 10:01–10:02 UTC on 2026-12-05.
    func station(_ folder: TemporaryFolder) throws -> RecordingSettings {
        try FileManager.default.createDirectory(atPath: folder.path("site"), withIntermediateDirectories: true)
        try folder.write(
            "site/schedule.json",
            """
            {"schema": 1, "timezone": "Europe/Berlin", "weekly": [], "upcoming": [],
             "shows": {"jazz": {"title": "Jazz Hour", "host": "Ann", "url": "/shows/jazz/", "live": true},
                       "secret": {"title": "Secret", "host": null, "url": "/shows/secret/", "record": false}},
             "specials": [{"date": "2026-12-05", "start": "10:59", "end": "11:00", "show": "secret"},
                          {"date": "2026-12-05", "start": "11:00", "end": "11:01", "show": "jazz"},
                          {"date": "2026-12-05", "start": "11:01", "end": "11:02", "show": "secret"}]}
            """)
        return RecordingSettings(
            dir: folder.path("rec"), format: .opus, bitrate: 64, keepDays: 30, scheduleFile: folder.path("site/schedule.json"))
    }

    let slotStart = ISO8601.date("2026-12-05T10:00:00Z")!

    /// Feeds quarter-second blocks from `from` to `to` (seconds after the jazz slot's start), with `titles` at their offsets.
    /// A title given as "show: text" was chosen for that show (the schedule's programme).
    func feed(_ recorder: Recorder, from: Double, to: Double, titles: [Double: String] = [:]) {
        let frames = audio.sampleRate / 4
        // A 440 Hz tone (whole cycles per block: the blocks join without a click).
        let block = (0..<frames * audio.channels).map { index in
            Float(0.3 * sin(2 * Double.pi * 440 * Double(index / audio.channels) / Double(audio.sampleRate)))
        }
        var at = from
        while at < to {
            if let title = titles[at] {
                let parts = title.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2 { recorder.mark(TrackTitle.parse(parts[1]), show: parts[0]) } else { recorder.mark(TrackTitle.parse(title)) }
            }
            recorder.write(block, at: slotStart.addingTimeInterval(at))
            at += 0.25
        }
    }

    @Test func anAiringBecomesOneFileCutAtTheSlotsEndWithItsTracklist() throws {
        let folder = try TemporaryFolder()
        let settings = try station(folder)
        let recorder = Recorder(settings: settings, audio: audio, logger: logger, emit: { _ in }, queueSeconds: 600)
        recorder.start()
        feed(recorder, from: -2, to: 62.1, titles: [5: "A & B - <One>", 30.5: "Station ID"])
        feed(recorder, from: 62.1, to: 75)  // the secret show: record: false
        recorder.stop()

        let jazz = folder.path("rec/jazz")
        #expect(try FileManager.default.contentsOfDirectory(atPath: jazz).sorted() == ["2026-12-05-1100.json", "2026-12-05-1100.opus"])
        #expect(!FileManager.default.fileExists(atPath: folder.path("rec/secret")))
        let sidecar = try RecordingSidecar.decode(Data(contentsOf: URL(fileURLWithPath: jazz + "/2026-12-05-1100.json")))
        #expect(sidecar.show == .init(slug: "jazz", title: "Jazz Hour"))
        #expect(sidecar.start == slotStart && sidecar.end == slotStart.addingTimeInterval(60))
        #expect(sidecar.live && sidecar.dj == "Ann" && sidecar.part == 1 && sidecar.format == .opus)
        #expect(sidecar.file == "2026-12-05-1100.opus")
        #expect(
            sidecar.tracks == [
                .init(offset: 5, text: "A & B - <One>", artist: "A & B", title: "<One>"),
                .init(offset: 30.5, text: "Station ID", artist: nil, title: "Station ID"),
            ])
        let size = try FileManager.default.attributesOfItem(atPath: jazz + "/2026-12-05-1100.opus")[.size] as? Int ?? 0
        #expect(size > 60 * 64_000 / 8 / 2)
    }

    /// Blocks that do not start on the slot's start, sent early or late by up to a second (a burst
    /// after a title change, a late wake-up): the recording still starts and ends with the slot,
    /// to the sample, and nothing is lost or doubled.
    @Test func blocksStraddlingTheSlotsEdgesAreSplitOnTheirAirTime() throws {
        let folder = try TemporaryFolder()
        let settings = try station(folder)
        let recorder = Recorder(settings: settings, audio: audio, logger: logger, emit: { _ in }, queueSeconds: 600)
        recorder.start()
        let frames = 12_345
        let block = [Float](repeating: 0.1, count: frames * audio.channels)
        var at = -1.1
        var index = 0
        while at < 62 {
            let jitter = [0.0, -0.9, 0.7, -0.3][index % 4]
            recorder.write(block, at: slotStart.addingTimeInterval(at + jitter))
            at += Double(frames) / Double(audio.sampleRate)
            index += 1
        }
        recorder.stop()
        let sidecar = try RecordingSidecar.decode(Data(contentsOf: URL(fileURLWithPath: folder.path("rec/jazz/2026-12-05-1100.json"))))
        #expect(abs(sidecar.start.timeIntervalSince(slotStart)) < 0.001)
        #expect(abs(sidecar.duration - 60) < 0.001)
    }

    /// The `record: false` show's last track plays 5 s into the jazz slot: silence in the recording.
    @Test func aRecordFalseShowsTrackPlayingIntoTheSlotIsNotRecorded() throws {
        let folder = try TemporaryFolder()
        let settings = try station(folder)
        let recorder = Recorder(settings: settings, audio: audio, logger: logger, emit: { _ in }, queueSeconds: 600)
        recorder.start()
        feed(recorder, from: -10, to: 12, titles: [-8: "Secret - Song", 5: "Jazz - One"])
        recorder.stop()
        let decoder = try TrackDecoders.open(folder.path("rec/jazz/2026-12-05-1100.opus"))
        var samples: [Float] = []
        while let block = try decoder.read(maxFrames: 48_000) { samples += block.samples }
        let second = 48_000 * 2
        func peak(_ from: Double, _ to: Double) -> Float {
            samples[Int(from * Double(second))..<min(samples.count, Int(to * Double(second)))].map(abs).max() ?? 0
        }
        #expect(peak(0.5, 4.5) < 0.01)
        #expect(peak(5.5, 11) > 0.05)
    }

    /// The programme chose one more `secret` track just before the slot by its own clock, which
    /// the recorder's air times put a quarter second into the jazz slot: it stays silent and
    /// unlisted until an item chosen for jazz starts.
    @Test func aRecordFalseShowsTrackStartingJustAfterTheEdgeIsNotRecordedEither() throws {
        let folder = try TemporaryFolder()
        let settings = try station(folder)
        let recorder = Recorder(settings: settings, audio: audio, logger: logger, emit: { _ in }, queueSeconds: 600)
        recorder.start()
        feed(recorder, from: -10, to: 12, titles: [-8: "secret: Secret - Song", 0.25: "secret: Secret - Set", 6: "jazz: Jazz - One"])
        recorder.stop()
        let path = folder.path("rec/jazz/2026-12-05-1100")
        let decoder = try TrackDecoders.open(path + ".opus")
        var samples: [Float] = []
        while let block = try decoder.read(maxFrames: 48_000) { samples += block.samples }
        let second = 48_000 * 2
        #expect(samples[second / 2..<second * 11 / 2].map(abs).max() ?? 1 < 0.01)
        #expect(samples[second * 13 / 2..<second * 11].map(abs).max() ?? 0 > 0.05)
        let sidecar = try RecordingSidecar.decode(Data(contentsOf: URL(fileURLWithPath: path + ".json")))
        #expect(sidecar.tracks.map(\.text) == ["Jazz - One"])
    }

    /// The programme chose a station ID for jazz when its clock had reached the slot, but the
    /// recorder's air times put the ID's first block half a second before it: the file opens
    /// mid-ID, lists it at 0:00 and records it (it is jazz's, not the silenced show's).
    @Test func anItemChosenForTheShowThatBeganJustBeforeTheFileIsListedAtTheStartAndHeard() throws {
        let folder = try TemporaryFolder()
        let settings = try station(folder)
        let recorder = Recorder(settings: settings, audio: audio, logger: logger, emit: { _ in }, queueSeconds: 600)
        recorder.start()
        feed(recorder, from: -10, to: 6, titles: [-8: "secret: Secret - Song", -0.5: "jazz: id1", 2: "jazz: Jazz - One"])
        recorder.stop()
        let path = folder.path("rec/jazz/2026-12-05-1100")
        let sidecar = try RecordingSidecar.decode(Data(contentsOf: URL(fileURLWithPath: path + ".json")))
        #expect(sidecar.tracks.map(\.text) == ["id1", "Jazz - One"])
        #expect(sidecar.tracks.map(\.offset) == [0, 2])
        let decoder = try TrackDecoders.open(path + ".opus")
        var samples: [Float] = []
        while let block = try decoder.read(maxFrames: 48_000) { samples += block.samples }
        #expect(samples[9_600..<96_000].map(abs).max() ?? 0 > 0.05)  // 0.1–1 s: the ID, not silence
    }

    @Test func aRestartInTheSameAiringStartsPartTwo() throws {
        let folder = try TemporaryFolder()
        let settings = try station(folder)
        for (from, to) in [(0.0, 10.0), (20.0, 30.0)] {
            let recorder = Recorder(settings: settings, audio: audio, logger: logger, emit: { _ in }, queueSeconds: 600)
            recorder.start()
            feed(recorder, from: from, to: to)
            recorder.stop()
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path("rec/jazz")).sorted()
        #expect(names == ["2026-12-05-1100-2.json", "2026-12-05-1100-2.opus", "2026-12-05-1100.json", "2026-12-05-1100.opus"])
        let second = try RecordingSidecar.decode(Data(contentsOf: URL(fileURLWithPath: folder.path("rec/jazz/2026-12-05-1100-2.json"))))
        #expect(second.part == 2 && second.start == slotStart.addingTimeInterval(20) && second.duration == 10)
    }

    @Test func aWriteErrorRaisesARecordingAlarmAndTheRecorderGoesOn() throws {
        let folder = try TemporaryFolder()
        var settings = try station(folder)
        try folder.write("rec", "a file where the folder should be")
        settings.dir = folder.path("rec")
        let alarms = Locked<[EngineEvent]>([])
        let recorder = Recorder(
            settings: settings, audio: audio, logger: logger, emit: { event in alarms.withLock { $0.append(event) } },
            queueSeconds: 600)
        recorder.start()
        feed(recorder, from: 0, to: 5)
        recorder.stop()
        let raised = alarms.withLock { $0 }
        #expect(raised.count == 1)
        guard case .alarm(let reason, let detail) = raised.first else { return }
        #expect(reason == .recording)
        #expect(detail.hasPrefix("recording stopped: cannot write \(folder.path("rec/jazz")): mkdir failed: "))
        #expect(detail.hasSuffix("; the stream goes on, recording retries in 60 s"))
    }

    @Test func aDJOnTheLiveMountMarksTheAiringLiveAndNamesThem() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path("site"), withIntermediateDirectories: true)
        try folder.write(
            "site/schedule.json",
            """
            {"schema": 1, "timezone": "Europe/Berlin", "weekly": [], "upcoming": [],
             "shows": {"talk": {"title": "Talk", "host": "Kim", "url": "/shows/talk/"}},
             "specials": [{"date": "2026-12-05", "start": "11:00", "end": "11:01", "show": "talk"}]}
            """)
        let settings = RecordingSettings(
            dir: folder.path("rec"), format: .opus, bitrate: 64, keepDays: 30, scheduleFile: folder.path("site/schedule.json"))
        let recorder = Recorder(settings: settings, audio: audio, logger: logger, emit: { _ in }, queueSeconds: 600)
        recorder.start()
        feed(recorder, from: 0, to: 20)
        recorder.live(onAir: true, dj: "Guest DJ")
        feed(recorder, from: 20, to: 40, titles: [20: "Guest DJ - Live Set"])
        recorder.live(onAir: false, dj: nil)
        feed(recorder, from: 40, to: 61)
        recorder.stop()
        let sidecar = try RecordingSidecar.decode(
            Data(contentsOf: URL(fileURLWithPath: folder.path("rec/talk/2026-12-05-1100.json"))))
        #expect(sidecar.live && sidecar.dj == "Guest DJ")
        #expect(sidecar.tracks.map(\.text) == ["Guest DJ - Live Set"])
    }
}
