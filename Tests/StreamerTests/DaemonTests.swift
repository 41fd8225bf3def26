import Foundation
import Logging
import StationKit
import Testing

@testable import Streamer

/// The daemon without audio: an engine that records what it is told, a real site folder and config
/// file. Command handling, reload and publishing nowplaying.json are what these check.
@Suite struct DaemonTests {
    final class RecordingEngine: AudioEngine, @unchecked Sendable {
        let lock = NSLock()
        var titles: [String] = []
        var skips = 0
        var endedLive: [String] = []
        var reloads: [EngineSettings] = []
        func start() throws {}
        func stop() {}
        func setTitle(_ text: String) { lock.withLock { titles.append(text) } }
        func skip() { lock.withLock { skips += 1 } }
        func endLive(reason: String) { lock.withLock { endedLive.append(reason) } }
        func reload(settings: EngineSettings) { lock.withLock { reloads.append(settings) } }
        var status: EngineStatus { EngineStatus(source: "fake", title: nil, connectedMounts: [], startedAt: nil) }
    }

    let folder: TemporaryFolder
    let configPath: String
    let engine = RecordingEngine()
    let daemon: Daemon

    init() throws {
        folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path("site"), withIntermediateDirectories: true)
        configPath = try folder.write("onaird.yaml", "site: ./site\nstation_name: Radio Test\nsource: { kind: tone }\n")
        let environment = ["ONAIR_SOURCE_PASSWORD": "hackme"]
        let config = try DaemonConfig.load(path: configPath, environment: environment)
        let engine = self.engine
        daemon = Daemon(
            configPath: configPath, config: config, environment: environment,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            makeEngine: { _, _, _ in engine })
    }

    func document() throws -> NowPlayingDocument {
        try NowPlayingDocument.decode(Data(contentsOf: URL(fileURLWithPath: folder.path("site/nowplaying.json"))))
    }

    @Test func nowSetsTheTitleInTheEngineAndOnThePageAtOnce() throws {
        let response = daemon.handle(.now("  The Band\u{2028} - Song  "), engine: engine)
        #expect(response == .success("title set to 'The Band - Song'"))
        #expect(engine.titles == ["The Band - Song"])
        let playing = try #require(try document().nowPlaying)
        #expect(playing.artist == "The Band" && playing.title == "Song" && playing.text == "The Band - Song")
    }

    @Test func badTitlesAreRefusedWithALineThatSaysWhatToDo() throws {
        #expect(daemon.handle(.now(" \n "), engine: engine) == .failure("give the title: onair now \"Artist - Title\""))
        let long = String(repeating: "a", count: 501)
        #expect(daemon.handle(.now(long), engine: engine) == .failure("that title is 501 characters long; 500 at most"))
        #expect(engine.titles.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.path("site/nowplaying.json")))
    }

    @Test func skipNeedsAPlaylist() {
        #expect(
            daemon.handle(.skip, engine: engine) == .failure("nothing to skip: the source is tone 440 Hz (skip works with a playlist or a schedule)"))
        #expect(engine.skips == 0)
    }

    @Test func statusNamesTheSourceAndTheTitle() throws {
        _ = daemon.handle(.now("A - T"), engine: engine)
        let status = try #require(daemon.handle(.status, engine: engine).status)
        #expect(status.source == "tone 440 Hz")
        #expect(status.title == "A - T")
        #expect(status.online == false)
    }

    @Test func reloadTakesTheNewSourceAndKeepsTheRunningOneOnABadFile() throws {
        try FileManager.default.createDirectory(atPath: folder.path("music"), withIntermediateDirectories: true)
        try folder.write("onaird.yaml", "site: ./site\nstation_name: Radio Test\nsource: { kind: playlist, path: ./music }\n")
        daemon.reload(engine: engine)
        #expect(engine.reloads.map(\.source) == [.playlist(path: folder.path("music"), shuffle: true)])
        #expect(daemon.handle(.skip, engine: engine) == .success("skipped to the next track"))
        #expect(engine.skips == 1)
        try folder.write("onaird.yaml", "site: ./site\nsource: { kind: radio }\n")
        daemon.reload(engine: engine)
        #expect(engine.reloads.count == 1)
        #expect(daemon.config.source.kind == .playlist)
    }

    @Test func engineEventsAndIcecastPollsReachTheDocument() throws {
        daemon.handle(.titleChanged(text: "X - Y", artist: "X", title: "Y", duration: 180))
        #expect(try document().nowPlaying?.duration == 180)
        #expect(try document().online == false)
        daemon.handle(.outputConnected(mount: "/radio.ogg"))
        daemon.handle(
            IcecastStatusPoller.Outcome.stats(IcecastStats(mounts: [IcecastStats.Mount(mount: "/radio.ogg", listeners: 3, hasSource: true)])))
        let document = try document()
        #expect(document.online == true)
        #expect(document.listeners.current == 3)
        #expect(document.station.name == "Radio Test")
    }

    @Test func aDJOnTheLiveMountIsNamedByTheirAccountAndStatusSaysWhyTheyWentOff() throws {
        daemon.handle(
            IcecastStatusPoller.Outcome.stats(IcecastStats(mounts: [IcecastStats.Mount(mount: "/radio.ogg", listeners: 1, hasSource: true)])))
        daemon.handle(.liveStarted(streamer: "Stream Name"))
        #expect(try document().live.streamer == "Stream Name")
        #expect(daemon.handle(ControlRequest(command: .dj, text: "dj1"), engine: engine) == .success("the next DJ on the live mount is 'dj1'"))
        #expect(daemon.handle(ControlRequest(command: .dj, text: " "), engine: engine).ok == false)
        daemon.handle(.liveEnded(reason: "the DJ's stream went silent (below -50 dBFS for 20 s)"))
        #expect(try document().live.isLive == false)
        daemon.handle(.liveStarted(streamer: "Stream Name"))
        #expect(try document().live.streamer == "dj1")
        #expect(try document().live.isLive)
        daemon.handle(.liveEnded(reason: "the DJ left (the stream ended)"))
        let status = try #require(daemon.handle(.status, engine: engine).status)
        #expect(status.liveInput?.hasSuffix(": the DJ left (the stream ended)") == true)
        #expect(status.lines.contains { $0.hasPrefix("live input: back to the programme at ") })
        daemon.handle(.liveStarted(streamer: "Next DJ"))
        #expect(try document().live.streamer == "Next DJ")
    }

    @Test func endLiveTakesTheDJOffAndNamesWhoAsked() throws {
        #expect(daemon.handle(.endLive(by: "admin"), engine: engine) == .failure("no DJ from the live mount is on air: nothing to end"))
        #expect(engine.endedLive.isEmpty)
        daemon.handle(.liveStarted(streamer: "DJ Sam"))
        let answer = daemon.handle(.endLive(by: "admin\u{202E}"), engine: engine)
        #expect(answer.ok && answer.message?.hasPrefix("the DJ goes off the air") == true)
        #expect(engine.endedLive == ["the DJ was taken off the air by admin"])
    }

    /// The switch and its title arrive as one event, so nowplaying.json is never live with the
    /// programme's title, nor back to the programme with the DJ's.
    @Test func goingLiveAndBackChangeTheTitleInTheSameDocument() throws {
        daemon.handle(
            IcecastStatusPoller.Outcome.stats(IcecastStats(mounts: [IcecastStats.Mount(mount: "/radio.ogg", listeners: 1, hasSource: true)])))
        daemon.handle(.titleChanged(text: "Band - Song", artist: "Band", title: "Song", duration: nil))
        daemon.handle(.liveStarted(streamer: "DJ Sam", title: TrackTitle(artist: "DJ Sam", title: "Late Set")))
        var document = try document()
        #expect(document.live.isLive && document.nowPlaying?.text == "DJ Sam - Late Set")
        #expect(document.history.first?.text == "Band - Song")
        daemon.handle(.liveEnded(reason: "the DJ left (the stream ended)", title: TrackTitle(artist: "Band", title: "Song")))
        document = try self.document()
        #expect(!document.live.isLive && document.nowPlaying?.text == "Band - Song")
        #expect(document.history.first?.text == "DJ Sam - Late Set")
    }
}
