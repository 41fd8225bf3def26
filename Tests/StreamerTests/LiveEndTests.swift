import Foundation
import Logging
import StationKit
import Testing

@testable import Streamer

/// Ending a DJ: Icecast's admin login in the config, its answers, the hold that keeps a DJ taken
/// off the air from coming straight back, and a DJ who hangs up being aired to their last word.
@Suite struct LiveEndTests {
    @Test func theAdminLoginIsOptionalAndNeverShown() throws {
        let folder = try TemporaryFolder()
        try folder.write("source.password", "src\n")
        try folder.write("admin.password", " 4dm1n-s3cret \n")
        try folder.write("onaird.yaml", "icecast: { url: http://127.0.0.1:8123 }\nlive: { end_hold: 30 }\n")
        let plain = try DaemonConfig.load(path: folder.path("onaird.yaml"), environment: [:])
        #expect(plain.icecast.admin == nil && plain.live?.admin == nil && plain.live?.endHold == 30)
        try folder.write(
            "onaird.yaml", "icecast: { url: http://127.0.0.1:8123, admin_user: boss, admin_password_file: admin.password }\nlive: {}\n")
        let config = try DaemonConfig.load(path: folder.path("onaird.yaml"), environment: [:])
        let admin = try #require(config.live?.admin)
        #expect(admin == config.icecast.admin)
        #expect(admin.user == "boss" && admin.password == "4dm1n-s3cret" && admin.port == 8123 && admin.host == "127.0.0.1")
        #expect(config.live?.endHold == 60)
        for text in ["\(config)", String(reflecting: config), "\(admin)", String(reflecting: admin)] {
            #expect(!text.contains("4dm1n-s3cret"))
        }
        let fromEnvironment = try DaemonConfig.load(path: folder.path("onaird.yaml"), environment: ["ONAIR_ADMIN_PASSWORD": "env-pw"])
        #expect(fromEnvironment.icecast.admin?.password == "env-pw" && fromEnvironment.icecast.admin?.passwordSource == "$ONAIR_ADMIN_PASSWORD")
    }

    @Test func aMissingOrEmptyAdminPasswordFileSaysWhatBelongsInIt() throws {
        let folder = try TemporaryFolder()
        try folder.write("source.password", "src\n")
        try folder.write("onaird.yaml", "icecast: { admin_password_file: admin.password }\n")
        let missing = try #require(throws: ConfigError.self) { try DaemonConfig.load(path: folder.path("onaird.yaml"), environment: [:]) }
        #expect(missing.description == "cannot read password file \(folder.path("admin.password")): no such file or directory")
        try folder.write("admin.password", "\n")
        let empty = try #require(throws: ConfigError.self) { try DaemonConfig.load(path: folder.path("onaird.yaml"), environment: [:]) }
        #expect(
            empty.description
                == "password file \(folder.path("admin.password")) is empty: put Icecast's admin password (<admin-password>) on its first line")
        try folder.write("onaird.yaml", "live: { end_hold: -1 }\n")
        let hold = try #require(throws: ConfigError.self) { try DaemonConfig.load(path: folder.path("onaird.yaml"), environment: [:]) }
        #expect(hold.description.contains("live.end_hold"))
    }

    /// What Icecast 2.4.4 answers `/admin/killsource` (bodies as it sends them).
    @Test func icecastsAnswersToKillsource() {
        func outcome(_ status: Int, _ body: String) -> IcecastAdmin.Outcome {
            IcecastAdmin.outcome(of: .success(HTTPGet.Response(status: status, body: Data(body.utf8))), passwordSource: "/etc/onair/admin.password")
        }
        #expect(outcome(200, "<?xml version=\"1.0\"?>\n<iceresponse><message>Source Removed</message><return>1</return></iceresponse>\n") == .ended)
        #expect(outcome(400, "<html><body><b>400 - Source does not exist</b></body></html>") == .noSource)
        #expect(
            outcome(401, "You need to authenticate\r\n")
                == .failed("Icecast refused the admin login (HTTP 401): check the admin user and the password in /etc/onair/admin.password"))
        #expect(outcome(500, "") == .failed("Icecast answered HTTP 500"))
        #expect(
            IcecastAdmin.outcome(of: .failure(HTTPGet.Failure(reason: "connection refused")), passwordSource: "x")
                == .failed("Icecast did not answer (connection refused)"))
        let admin = IcecastAdmin(host: "127.0.0.1", port: 8000, user: "admin", passwordSource: "x", password: "pw:ü")
        let request = admin.killRequest(mount: "/dj&x=1")
        #expect(request.path == "/admin/killsource?mount=/dj%26x%3D1")
        #expect(request.authorization == "Basic " + Data("admin:pw:ü".utf8).base64EncodedString())
    }

    @Test func aHoldIsByStreamNameAndEnds() throws {
        let feed = LiveFeed(channels: 1, capacity: 100)
        feed.hold("DJ Sam", seconds: 0)
        #expect(feed.held("DJ Sam") == nil)
        feed.hold("DJ Sam", seconds: 0.3)
        feed.hold(nil, seconds: 0.3)
        #expect(feed.held("dj sam") != nil && feed.held(nil) != nil && feed.held("Other DJ") == nil)
        #expect(ISO8601.date(try #require(feed.held("DJ SAM"))) != nil)
        Thread.sleep(forTimeInterval: 0.4)
        #expect(feed.held("DJ Sam") == nil && feed.held(nil) == nil)
    }

    /// The DJ hangs up with 0.25 s in the buffer: all of it goes out, the last 0.1 s under the fade.
    @Test func aDJWhoHangsUpIsAiredToTheirLastWord() {
        var settings = LiveSettings()
        settings.fade = 0.1  // 800 frames; a block while live is 400 (1/20 s)
        settings.jitter = 0.05
        let format = AudioFormat(sampleRate: 8000, channels: 1)
        let feed = LiveFeed(channels: 1, capacity: 100_000)
        let live = LiveSwitch(settings: settings, feed: feed, format: format, logger: Logger(label: "test")) { _ in }
        let programme = [Float](repeating: 0.25, count: 400)
        feed.begin(streamer: "DJ Sam")
        feed.append([Float](repeating: 0.5, count: 400), loud: true)
        _ = live.mix(programme)
        feed.append([Float](repeating: 0.5, count: 400), loud: true)
        _ = live.mix(programme)
        #expect(live.phase == .live && feed.frames == 0)
        feed.append([Float](repeating: 0.5, count: 2000), loud: true)
        feed.end("the stream ended")
        var blocks: [[Float]] = []
        while blocks.count < 10 {
            let mix = live.mix(live.needsProgramme ? programme : [])
            blocks.append(mix.samples)
            if mix.handBack { break }
        }
        #expect(blocks.count == 3 && blocks.allSatisfy { $0 == [Float](repeating: 0.5, count: 400) })  // two blocks, then the hand-back's
        #expect(!live.isOnAir && feed.frames == 800)
        var fade: [Float] = []
        while live.phase != .programme, fade.count < 8000 { fade += live.mix(programme).samples }
        #expect(fade.count == 800 && feed.frames == 0)
        // Both voices all the way: the DJ's last frames are there, under the programme.
        #expect(fade.allSatisfy { $0 > 0.25 * 0.99 })
        let last = Float(1) / 800 * .pi / 2  // the DJ's share in the fade's last frame
        #expect(abs(fade[799] - (0.25 * cos(last) + 0.5 * sin(last))) < 1e-4)
    }

    /// onair-api asks `dj NAME` when Icecast checks a DJ's login: an account taken off the air is
    /// refused until its hold ends, others are not; the admin is told when the connection could not be ended.
    @Test func anAccountTakenOffTheAirIsRefusedUntilItsHoldEnds() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path("site"), withIntermediateDirectories: true)
        try folder.write("admin.password", "pw\n")
        let path = try folder.write(
            "onaird.yaml",
            "site: ./site\nsource: { kind: tone }\nicecast: { url: http://127.0.0.1:9, admin_password_file: admin.password }\n"
                + "live: { end_hold: 0.5 }\n")
        let environment = ["ONAIR_SOURCE_PASSWORD": "x"]
        let engine = DaemonTests.RecordingEngine()
        let daemon = Daemon(
            configPath: path, config: try DaemonConfig.load(path: path, environment: environment), environment: environment,
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, makeEngine: { _, _, _ in engine })
        #expect(daemon.handle(.init(command: .dj, text: "Sam"), engine: engine) == .success("the next DJ on the live mount is 'Sam'"))
        daemon.handle(.liveStarted(streamer: "BUTT"))
        let answer = daemon.handle(.endLive(by: "ada"), engine: engine)
        #expect(
            answer.message
                == "the DJ goes off the air and the programme fades back in; they may not come back for 0.5 s; "
                + "their connection could not be ended: Icecast did not answer (connection refused)")
        #expect(engine.endedLive == ["the DJ was taken off the air by ada"])
        let status = try #require(daemon.handle(.status, engine: engine).status)
        #expect(status.liveInput?.contains("; 'Sam' taken off the air, may come back after ") == true, "\(String(describing: status.liveInput))")
        let refused = daemon.handle(.init(command: .dj, text: "sam"), engine: engine)
        #expect(!refused.ok && refused.error?.hasPrefix("'sam' was taken off the air by an admin and may stream again after ") == true)
        #expect(daemon.handle(.init(command: .dj, text: "Kim"), engine: engine).ok)
        Thread.sleep(forTimeInterval: 0.6)
        #expect(daemon.handle(.init(command: .dj, text: "Sam"), engine: engine).ok)
        #expect(daemon.handle(.status, engine: engine).status?.liveInput?.contains("taken off the air, may come back") == false)
    }
}
