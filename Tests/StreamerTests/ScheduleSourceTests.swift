import Foundation
import Logging
import StationKit
import Testing

@testable import Streamer

/// The schedule source on a clock the test moves: every chunk advances it by the chunk's length,
/// as the engine's pacing would, so an hour of programme runs in milliseconds.
@Suite struct ScheduleSourceTests {
    final class ManualClock: ProgrammeClock {
        var date: Date
        init(_ text: String) { date = ISO8601.date(text) ?? Date(timeIntervalSince1970: 0) }
        func now() -> Date { date }
    }

    private final class Events: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [EngineEvent] = []
        func append(_ event: EngineEvent) { lock.withLock { list.append(event) } }
        var all: [EngineEvent] { lock.withLock { list } }
        var alarms: [AlarmReason] { all.compactMap { if case .alarm(let reason, _) = $0 { reason } else { nil } } }
    }

    /// A music folder and a schedule: show `jazz` on 2026-12-04 10:00–10:02 UTC (a special).
    struct Station {
        let folder: TemporaryFolder
        var music: String { folder.path("music") }
        var scheduleFile: String { folder.path("schedule.json") }

        init(live: Bool = false) throws {
            folder = try TemporaryFolder()
            try FileManager.default.createDirectory(atPath: folder.path("music"), withIntermediateDirectories: true)
            let document = ScheduleDocument(
                timezone: "UTC", shows: ["jazz": .init(title: "Jazz Hour", host: nil, url: "/shows/jazz/", live: live)],
                weekly: [],
                specials: [
                    SpecialSlot(
                        date: LocalDate(year: 2026, month: 12, day: 4), start: TimeOfDay(hour: 10, minute: 0),
                        end: TimeOfDay(hour: 10, minute: 2), show: "jazz")
                ], upcoming: [])
            try JSONEncoder.onAir().encode(document).write(to: URL(fileURLWithPath: scheduleFile))
        }

        /// A mono WAV of `seconds` at a constant `level` (0 = silence) in `music/<folder>/<name>`.
        func wav(_ folderName: String, _ name: String, seconds: Double, level: Int16) throws {
            let path = (music as NSString).appendingPathComponent(folderName)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let bytes = wavBytes(samples: [Int16](repeating: level, count: Int(seconds * 44_100)))
            try Data(bytes).write(to: URL(fileURLWithPath: (path as NSString).appendingPathComponent(name)))
        }

        func settings(grace: Double = 30, ids: Double = 0, silenceAfter: Double = 10) -> ScheduleSettings {
            ScheduleSettings(
                music: music, scheduleFile: scheduleFile, shuffle: false, slotGrace: grace, idsEvery: ids,
                silenceThreshold: -50, silenceAfter: silenceAfter)
        }
    }

    struct Start: Equatable, CustomStringConvertible {
        var file: String
        var at: Double  // seconds after the run began
        var description: String { "\(file)@\(String(format: "%.1f", at))" }
    }

    private let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// Pulls `seconds` of audio, advancing the clock by each chunk; returns what started when.
    private func run(
        _ source: ScheduleSource, _ clock: ManualClock, _ events: Events, seconds: Double,
        onChunk: (AudioChunk, Double) -> Void = { _, _ in }
    ) -> [Start] {
        let begin = clock.date
        var starts: [Start] = []
        var seen = events.all.count
        while clock.date.timeIntervalSince(begin) < seconds {
            let chunk = source.nextChunk()
            for event in events.all[seen...] {
                if case .itemStarted(_, let entry) = event { starts.append(Start(file: entry.file ?? "", at: clock.date.timeIntervalSince(begin))) }
            }
            seen = events.all.count
            onChunk(chunk, clock.date.timeIntervalSince(begin))
            clock.date += Double(max(1, chunk.frames)) / Double(chunk.format.sampleRate)
        }
        return starts
    }

    @Test func theShowStartsAtTheNextTrackBoundaryThenRotationReturns() throws {
        let station = try Station()
        try station.wav("rotation", "r1.wav", seconds: 4, level: 1000)
        try station.wav("rotation", "r2.wav", seconds: 4, level: 1000)
        try station.wav("jazz", "j1.wav", seconds: 40, level: 2000)
        let clock = ManualClock("2026-12-04T09:59:58Z")
        let events = Events()
        let source = ScheduleSource(
            settings: station.settings(), format: AudioFormat(sampleRate: 44_100, channels: 1),
            logger: logger, clock: clock, emit: events.append)
        let starts = run(source, clock, events, seconds: 130)
        // r1 plays out (2 s past 10:00), then the show; its last track ends 10:02:02, then rotation.
        #expect(starts.map(\.file).prefix(5) == ["rotation/r1.wav", "jazz/j1.wav", "jazz/j1.wav", "jazz/j1.wav", "rotation/r2.wav"])
        #expect(abs(starts[1].at - 4) < 0.1)
        #expect(abs(starts[4].at - 124) < 0.1)
        #expect(events.alarms.isEmpty)
    }

    @Test func pastTheGraceTheTrackFadesOut() throws {
        let station = try Station()
        try station.wav("rotation", "long.wav", seconds: 30, level: 10_000)
        try station.wav("jazz", "j1.wav", seconds: 5, level: 2000)
        let clock = ManualClock("2026-12-04T09:59:58Z")
        let events = Events()
        let source = ScheduleSource(
            settings: station.settings(grace: 3), format: AudioFormat(sampleRate: 44_100, channels: 1),
            logger: logger, clock: clock, emit: events.append)
        var levels: [(Double, Float)] = []
        let starts = run(source, clock, events, seconds: 10) { chunk, at in levels.append((at, chunk.samples.first ?? 0)) }
        #expect(starts.map(\.file).prefix(2) == ["rotation/long.wav", "jazz/j1.wav"])
        // 10:00:00 + 3 s grace + 2 s fade = 7 s after 09:59:58.
        #expect(abs(starts[1].at - 7) < 0.2)
        let fading = levels.filter { $0.0 > 5.2 && $0.0 < 6.8 }.map(\.1)
        #expect(!fading.isEmpty && fading.allSatisfy { $0 < 0.3 && $0 > 0 })
        #expect(zip(fading, fading.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(events.all.contains { if case .itemEnded(1, let s) = $0 { abs(s - 7) < 0.1 } else { false } })
    }

    @Test func idsComeAtTheFirstBoundaryAfterTheIntervalNeverTheSameTwice() throws {
        let station = try Station()
        try station.wav("rotation", "r1.wav", seconds: 3, level: 1000)
        try station.wav("ids", "id1.wav", seconds: 1, level: 3000)
        try station.wav("ids", "id2.wav", seconds: 1, level: 3000)
        let clock = ManualClock("2026-12-04T08:00:00Z")
        let events = Events()
        let source = ScheduleSource(
            settings: station.settings(ids: 10), format: AudioFormat(sampleRate: 44_100, channels: 1),
            logger: logger, clock: clock, emit: events.append)
        let starts = run(source, clock, events, seconds: 60)
        let ids = starts.filter { $0.file.hasPrefix("ids/") }
        // Boundaries at 3, 6, 9, 12: the first after 10 s is 12; the next ID is due 10 s after that.
        #expect(abs(ids[0].at - 12) < 0.1)
        #expect(abs(ids[1].at - 25) < 0.1)
        #expect(ids.count >= 4)
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0.file != $1.file })
    }

    /// The next ID is planned ahead (status shows it) while the rotation is on; it starts after
    /// 10:00, so it is jazz's item (the recorder keeps only a record: false show's items out).
    @Test func anItemPlannedInTheSlotBeforeBelongsToTheShowOnAirWhenItStarts() throws {
        let station = try Station()
        try station.wav("rotation", "r1.wav", seconds: 4, level: 1000)
        try station.wav("ids", "id1.wav", seconds: 1, level: 3000)
        try station.wav("jazz", "j1.wav", seconds: 5, level: 2000)
        let clock = ManualClock("2026-12-04T09:59:58Z")
        let events = Events()
        let source = ScheduleSource(
            settings: station.settings(ids: 3), format: AudioFormat(sampleRate: 44_100, channels: 1),
            logger: logger, clock: clock, emit: events.append)
        var shows: [String] = []
        _ = run(source, clock, events, seconds: 9) { chunk, _ in
            if let track = chunk.track { shows.append("\(track.title.text)=\(track.show ?? "-")") }
        }
        #expect(shows == ["r1=rotation", "id1=jazz", "j1=jazz"])
    }

    @Test func aSilentTrackIsSkippedWithAnAlarm() throws {
        let station = try Station()
        try station.wav("rotation", "a-silent.wav", seconds: 20, level: 0)
        try station.wav("rotation", "b-music.wav", seconds: 3, level: 5000)
        let clock = ManualClock("2026-12-04T08:00:00Z")
        let events = Events()
        let source = ScheduleSource(
            settings: station.settings(silenceAfter: 2), format: AudioFormat(sampleRate: 44_100, channels: 1),
            logger: logger, clock: clock, emit: events.append)
        let starts = run(source, clock, events, seconds: 4)
        #expect(starts.map(\.file) == ["rotation/a-silent.wav", "rotation/b-music.wav"])
        #expect(abs(starts[1].at - 2) < 0.1)
        #expect(events.alarms == [.silence])
    }

    @Test func anEmptyShowFolderFallsBackToRotationThenToTheTone() throws {
        let station = try Station()
        try FileManager.default.createDirectory(atPath: station.folder.path("music/jazz"), withIntermediateDirectories: true)
        try station.wav("rotation", "r1.wav", seconds: 2, level: 1000)
        let clock = ManualClock("2026-12-04T10:00:10Z")
        let events = Events()
        let source = ScheduleSource(
            settings: station.settings(), format: AudioFormat(sampleRate: 44_100, channels: 1),
            logger: logger, clock: clock, emit: events.append)
        let starts = run(source, clock, events, seconds: 3)
        #expect(starts.first?.file == "rotation/r1.wav")
        // The log names the show on air, whichever folder stood in for it.
        #expect(events.all.contains { if case .itemStarted(_, let entry) = $0 { entry.show == "jazz" } else { false } })
        #expect(events.alarms == [.fallback])
        guard case .alarm(_, let detail) = events.all.first(where: { if case .alarm = $0 { true } else { false } }) else {
            Issue.record("no alarm"); return
        }
        #expect(detail == "\(station.music)/jazz holds no playable files: playing the rotation instead")

        // Nothing anywhere: a tone, never silence.
        try FileManager.default.removeItem(atPath: station.folder.path("music/rotation"))
        var tone: [Float] = []
        _ = run(source, clock, events, seconds: 8) { chunk, at in if at > 3 { tone += chunk.samples } }
        #expect(events.alarms.last == .fallback)
        let hertz = Double(risingZeroCrossings(tone, channels: 1)) / (Double(tone.count) / 44_100)
        #expect(abs(hertz - 440) < 2)
    }

    @Test func statusNamesTheShowTheFolderTheNextThreeAndTheNextID() throws {
        let station = try Station(live: true)
        for name in ["j1.wav", "j2.wav", "j3.wav", "j4.wav", "j5.wav"] { try station.wav("jazz", name, seconds: 1, level: 1000) }
        try station.wav("ids", "id1.wav", seconds: 1, level: 3000)
        let clock = ManualClock("2026-12-04T10:00:10Z")
        let events = Events()
        var status = ProgrammeStatus()
        let source = ScheduleSource(
            settings: station.settings(ids: 900), format: AudioFormat(sampleRate: 44_100, channels: 1),
            logger: logger, clock: clock, emit: events.append, status: { status = $0 })
        _ = source.nextChunk()
        #expect(status.show == "jazz")
        #expect(status.showTitle == "Jazz Hour")
        #expect(status.folder == "jazz")
        #expect(status.waitingForDJ)
        #expect(status.next == ["jazz/j2.wav", "jazz/j3.wav", "jazz/j4.wav"])
        #expect(status.nextID == "ids/id1.wav")
        #expect(status.nextIDAt == ISO8601.date("2026-12-04T10:15:10Z"))
    }

    @Test func aRebuiltScheduleAndAnM3UInTheShowFolderAreFollowed() throws {
        let station = try Station()
        try station.wav("rotation", "r1.wav", seconds: 1, level: 1000)
        try station.wav("news", "n1.wav", seconds: 1, level: 1000)
        try station.wav("news", "n2.wav", seconds: 1, level: 1000)
        try "# the editor's order\nn2.wav\nmissing.wav\nn1.wav\n".write(
            toFile: station.folder.path("music/news/order.m3u"),
            atomically: true, encoding: .utf8)
        let clock = ManualClock("2026-12-04T11:00:00Z")
        let events = Events()
        let source = ScheduleSource(
            settings: station.settings(), format: AudioFormat(sampleRate: 44_100, channels: 1),
            logger: logger, clock: clock, emit: events.append)
        #expect(run(source, clock, events, seconds: 2).map(\.file).allSatisfy { $0 == "rotation/r1.wav" })
        // `onair build` rewrites schedule.json: a news special from 11:00 (another size, so it is seen).
        let document = ScheduleDocument(
            timezone: "UTC", shows: ["news": .init(title: "News at Eleven", host: nil, url: "/shows/news/")], weekly: [],
            specials: [
                SpecialSlot(
                    date: LocalDate(year: 2026, month: 12, day: 4), start: TimeOfDay(hour: 11, minute: 0),
                    end: TimeOfDay(hour: 12, minute: 0), show: "news")
            ], upcoming: [])
        try JSONEncoder.onAir(pretty: true).encode(document).write(to: URL(fileURLWithPath: station.scheduleFile))
        let starts = run(source, clock, events, seconds: 4).map(\.file)
        // The .m3u's order; its missing entry is skipped with a warning.
        #expect(starts.prefix(3) == ["rotation/r1.wav", "news/n2.wav", "news/n1.wav"] || starts.prefix(2) == ["news/n2.wav", "news/n1.wav"])
        #expect(events.all.contains { if case .trackSkipped(let path, _) = $0 { path.hasSuffix("news/missing.wav") } else { false } })
    }
}
