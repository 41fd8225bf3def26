import Foundation
import Logging
import StationKit
import Testing

@testable import Streamer

@Suite struct ProgrammeConfigTests {
    let base = URL(fileURLWithPath: "/srv/radio", isDirectory: true)

    func load(_ yaml: String) throws(ConfigError) -> DaemonConfig {
        try DaemonConfig.parse(yaml: yaml, file: "onaird.yaml", baseDirectory: base, environment: ["ONAIR_SOURCE_PASSWORD": "x"])
    }

    @Test func scheduleSourceAndProgrammeKeys() throws {
        let config = try load(
            """
            source: { kind: schedule, music: ./music, shuffle: false }
            slot_grace: 20
            ids_every: 900
            silence: { threshold: -45, after: 8 }
            hooks: { title: ./post-title, alarm: "curl -s x" }
            playout_log: ./playout.log
            crossfade: 2.5
            """)
        #expect(config.sourceSummary == "schedule /srv/radio/music")
        #expect(config.programme.hooks == DaemonConfig.Hooks(title: "./post-title", live: nil, alarm: "curl -s x"))
        #expect(config.programme.playoutLog == "/srv/radio/playout.log")
        var expected = ScheduleSettings(
            music: "/srv/radio/music", scheduleFile: "/srv/radio/site/schedule.json", shuffle: false, slotGrace: 20,
            idsEvery: 900, silenceThreshold: -45, silenceAfter: 8, loudness: -16)
        expected.crossfade = 2.5
        #expect(config.engineSettings.source == .schedule(expected))
    }

    @Test func defaults() throws {
        let config = try load("source: { kind: schedule }\n")
        #expect(
            config.engineSettings.source
                == .schedule(
                    ScheduleSettings(
                        music: "/srv/radio/music", scheduleFile: "/srv/radio/site/schedule.json", shuffle: true, slotGrace: 30,
                        idsEvery: 0, silenceThreshold: -50, silenceAfter: 10, loudness: -16)))
        #expect(config.programme.playoutLog == nil)
        #expect(config.programme.hooks == DaemonConfig.Hooks())
        #expect(config.programme.loudness == -16)
    }

    @Test func loudnessOffAndTheCacheFolder() throws {
        #expect(try load("loudness: false\n").programme.loudness == nil)
        #expect(try load("loudness: -23\n").programme.loudness == -23)
        let config = try DaemonConfig.parse(
            yaml: "", file: "onaird.yaml", baseDirectory: base,
            environment: [
                "ONAIR_SOURCE_PASSWORD": "x", "CACHE_DIRECTORY": "/var/cache/onair",
                "HOME": "/home/x",
            ])
        #expect(config.programme.loudnessCache == "/var/cache/onair/loudness.tsv")
        #expect(DaemonConfig.cacheFolder(["HOME": "/home/x"]) == "/home/x/.cache/onair")
        #expect(DaemonConfig.cacheFolder([:]) == nil)
    }

    @Test(arguments: [
        ("slot_grase: 5\n", "onaird.yaml:1: unknown key 'slot_grase' (did you mean 'slot_grace'?)"),
        ("silence: { treshold: -50 }\n", "onaird.yaml:1: unknown key 'silence.treshold' (did you mean 'silence.threshold'?)"),
        ("hooks: { alarms: x }\n", "onaird.yaml:1: unknown key 'hooks.alarms' (did you mean 'hooks.alarm'?)"),
        ("ids_every: often\n", "onaird.yaml:1: 'ids_every' must be a number of seconds from 0 (no IDs) to 86400, not 'often'"),
        ("silence: { threshold: 3 }\n", "onaird.yaml:1: 'silence.threshold' must be a level in dBFS from -120 to 0, e.g. -50, not '3'"),
        ("hooks: { title: '' }\n", "onaird.yaml:1: 'hooks.title' must be a non-empty text, not ''"),
        ("crossfade: 31\n", "onaird.yaml:1: 'crossfade' must be a number of seconds from 0 (gapless) to 30, not '31'"),
        ("loudness: loud\n", "onaird.yaml:1: 'loudness' must be a target in LUFS from -70 to -5 (e.g. -16), or false, not 'loud'"),
        ("source: { kind: shedule }\n", "onaird.yaml:1: 'source.kind' must be schedule, playlist, alsa or tone, not 'shedule'"),
    ])
    func badKeysAndValuesSayWhatToDo(yaml: String, message: String) {
        #expect(throws: ConfigError.self) { try load(yaml) }
        do { _ = try load(yaml) } catch { #expect(error.description == message) }
    }
}

@Suite struct HookRunnerTests {
    @Test func theCommandGetsTheEventAsJSONOnStdin() throws {
        let folder = try TemporaryFolder()
        let out = folder.path("event.json")
        let runner = HookRunner(hooks: .init(alarm: "cat > '\(out)'"), logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() })
        runner.fire(.alarm(reason: .silence, detail: "rotation/x.wav was silent"), at: Date(timeIntervalSince1970: 1_764_842_400))
        runner.fire(.title(text: "A - B", artist: "A", title: "B", show: nil))  // no title hook: nothing runs
        runner.drain(seconds: 10)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text == #"{"at":"2025-12-04T10:00:00Z","detail":"rotation/x.wav was silent","event":"alarm","reason":"silence"}"# + "\n")
    }

    @Test func aHookThatIsGoneBeforeItsInputIsWrittenIsAFailureNotACrash() throws {
        signal(SIGPIPE, SIG_IGN)  // as onaird does
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        #expect(HookRunner.send(Data("{}\n".utf8), to: pipe.fileHandleForWriting) == false)

        // The real thing: a command that is not found exits at once, before reading its input.
        let log = LogCapture()
        let runner = HookRunner(hooks: .init(alarm: "exec 0<&-; exit 127"), logger: Logger(label: "t") { _ in log })
        for _ in 0..<20 { runner.fire(.alarm(reason: .fallback, detail: "x")) }
        runner.drain(seconds: 20)
        #expect(log.messages.filter { $0.contains("hook failed") && $0.contains("exit status 127") }.count == 1)
    }

    @Test func aHookThatHangsIsKilledInTime() throws {
        let runner = HookRunner(
            hooks: .init(live: "sleep 30"), logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() },
            timeout: 0.5)
        let start = Date()
        runner.fire(.live(isLive: true, streamer: "DJ"))
        runner.drain(seconds: 10)
        #expect(Date().timeIntervalSince(start) < 4)
    }
}

/// A log handler that keeps each line (message and metadata) for a test to read.
final class LogCapture: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    var messages: [String] { lock.withLock { lines } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        lock.withLock { lines.append(([event.message.description] + fields).joined(separator: " ")) }
    }
}
