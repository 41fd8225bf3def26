import Foundation
import Logging
import StationKit
import Testing

@testable import Streamer

@Suite struct LiveConfigTests {
    let base = URL(fileURLWithPath: "/srv/radio", isDirectory: true)

    func load(_ yaml: String) throws(ConfigError) -> DaemonConfig {
        try DaemonConfig.parse(yaml: yaml, file: "onaird.yaml", baseDirectory: base, environment: ["ONAIR_SOURCE_PASSWORD": "x"])
    }

    @Test func everyKeyHasADefault() throws {
        #expect(try load("source: { kind: tone }\n").live == nil)
        #expect(try load("live: false\n").live == nil)
        let live = try #require(try load("live: {}\n").live)
        #expect(live == LiveSettings())
        #expect(try load("live: {}\n").engineSettings.live == LiveSettings())
    }

    @Test func keysAndTheSilenceThreshold() throws {
        let live = try #require(
            try load("live: { mount: /studio, stall_after: 3, silence_after: 12, fade: 0.5, buffer: 0.75 }\nsilence: { threshold: -60 }\n").live)
        #expect(live.mount == "/studio" && live.jitter == 0.75)
        #expect(live.stallAfter == 3 && live.silenceAfter == 12 && live.fade == 0.5 && live.silenceThreshold == -60)
    }

    @Test(arguments: [
        ("live: { mount: dj }\n", "live.mount"),
        ("live: { stall_after: 0 }\n", "live.stall_after"),
        ("live: { fade: 11 }\n", "live.fade"),
        ("live: { buffer: 0.1 }\n", "live.buffer"),
        ("live: { moutn: /dj }\n", "moutn"),
        ("outputs: [{ mount: /dj, format: vorbis }]\nlive: { mount: /dj }\n", "live.mount"),
    ])
    func badValuesAreRejected(yaml: String, key: String) {
        let error = #expect(throws: ConfigError.self) { try load(yaml) }
        #expect(error.map { "\($0)".contains(key) } == true, "\(String(describing: error))")
    }
}

@Suite struct LiveStreamTests {
    @Test(arguments: [
        ("StreamTitle='Band - Song';StreamUrl='';\0\0\0", "Band - Song"),
        ("StreamTitle='It's - Here';\0", "It's - Here"),
        ("StreamUrl='x';", nil),
        ("StreamTitle='no end", "no end"),
    ])
    func icyStreamTitle(block: String, expected: String?) {
        #expect(ICYMetadata.streamTitle(block) == expected)
    }

    static func page(_ packet: [UInt8]) -> [UInt8] {
        Array("OggS".utf8) + [UInt8](repeating: 0, count: 22) + [1, UInt8(packet.count)] + packet
    }

    @Test func oggCodecsAreToldByTheFirstPacket() {
        #expect(LiveReceiver.oggCodec(Self.page([1] + Array("vorbis\0\0".utf8))) == .vorbis)
        #expect(LiveReceiver.oggCodec(Self.page(Array("OpusHead".utf8))) == .opus)
        #expect(LiveReceiver.oggCodec(Self.page([0x7F] + Array("FLAC\0\0\0".utf8))) == .unsupported("FLAC in Ogg"))
        #expect(LiveReceiver.oggCodec(Array("ID3xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".utf8)) == .unsupported("not an Ogg stream"))
        #expect(LiveReceiver.oggCodec(Array(Self.page(Array("OpusHead".utf8)).prefix(30))) == .unsupported("a truncated Ogg page"))
    }

    @Test func contentTypeDecidesMP3AndRefusesAAC() {
        var sniffed: [UInt8] = []
        let never: (UnsafeMutableRawBufferPointer) -> Int = { _ in -1 }
        #expect(LiveReceiver.codec(contentType: "audio/mpeg", sniffed: &sniffed, read: never) == .mp3)
        #expect(LiveReceiver.codec(contentType: "audio/aacp", sniffed: &sniffed, read: never) == .unsupported("AAC (audio/aacp)"))
        #expect(
            LiveReceiver.codec(contentType: "application/ogg", sniffed: &sniffed, read: never)
                == .unsupported("the stream ended before its first page"))
    }
}

@Suite struct LiveSwitchTests {
    let format = AudioFormat(sampleRate: 1000, channels: 1)

    final class Events: @unchecked Sendable {
        let lock = NSLock()
        var list: [EngineEvent] = []
        func add(_ event: EngineEvent) { lock.withLock { list.append(event) } }
    }

    func makeSwitch(_ events: Events) -> (LiveSwitch, LiveFeed) {
        var settings = LiveSettings()
        settings.fade = 0.1
        settings.jitter = 0.2
        settings.stallAfter = 0.5
        settings.silenceAfter = 1
        let feed = LiveFeed(channels: 1, capacity: 10_000)
        return (LiveSwitch(settings: settings, feed: feed, format: format, logger: Logger(label: "test")) { events.add($0) }, feed)
    }

    @Test func programmeUntilTheDJFlowsThenACrossfadeAndBack() throws {
        let events = Events()
        let (live, feed) = makeSwitch(events)
        let programme = [Float](repeating: 0.25, count: 50)
        #expect(live.mix(programme).samples == programme)  // no DJ
        feed.begin(streamer: "DJ Sam")
        feed.title(TrackTitle(artist: "A", title: "T"))
        feed.append([Float](repeating: 0.5, count: 100), loud: true)
        #expect(live.mix(programme).samples == programme)  // less than the jitter buffer (200 frames)
        feed.append([Float](repeating: 0.5, count: 500), loud: true)
        let first = live.mix(programme)
        #expect(first.titles == [TrackTitle(artist: "A", title: "T")])
        #expect(first.samples.first == 0.25 && abs(first.samples[49] - 0.25 * cos(0.49 * .pi / 2) - 0.5 * sin(0.49 * .pi / 2)) < 1e-5)
        #expect(events.list == [.liveStarted(streamer: "DJ Sam", title: TrackTitle(artist: "A", title: "T"))])
        #expect(live.isOnAir)
        _ = live.mix(programme)
        #expect(live.phase == .live && !live.needsProgramme)
        feed.append([Float](repeating: 0.5, count: 300), loud: true)
        #expect(live.mix([]).samples.allSatisfy { $0 == 0.5 })  // 256 frames a step while live
        #expect(live.mix([]).samples.filter { $0 == 0 }.count == 256 - 144)  // the buffer ran dry: silence
        feed.end("the stream ended")
        live.programmeTitle = TrackTitle(text: "Programme")
        let back = live.mix([])
        #expect(back.handBack)
        #expect(events.list.last == .liveEnded(reason: "the DJ left (the stream ended)", title: TrackTitle(text: "Programme")))
        _ = live.mix(programme)
        _ = live.mix(programme)
        #expect(live.phase == .programme)
    }

    @Test func silenceHandsBackAndTheDJReturnsOnlyWithSound() throws {
        let events = Events()
        let (live, feed) = makeSwitch(events)
        feed.begin(streamer: nil)
        feed.append([Float](repeating: 0.5, count: 300), loud: true)
        Thread.sleep(forTimeInterval: 0.35)
        feed.append([Float](repeating: 0.5, count: 300), loud: true)
        _ = live.mix([Float](repeating: 0, count: 100))
        #expect(live.isOnAir)
        let deadline = Date().addingTimeInterval(3)
        while live.isOnAir, Date() < deadline {
            feed.append([Float](repeating: 0, count: 50), loud: false)
            _ = live.mix(live.needsProgramme ? [Float](repeating: 0, count: 50) : [])
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(!live.isOnAir)
        #expect(events.list.last == .liveEnded(reason: "the DJ's stream went silent (below -50 dBFS for 1 s)"))
        feed.append([Float](repeating: 0, count: 300), loud: false)
        _ = live.mix([Float](repeating: 0, count: 100))
        #expect(!live.isOnAir)
    }

    /// Taken off the air from the studio: the programme fades back in with the reason, the same
    /// connection is not aired again however loud it is, and a new connection is.
    @Test func aDJTakenOffTheAirStaysOffUntilTheyReconnect() throws {
        let events = Events()
        let (live, feed) = makeSwitch(events)
        let programme = [Float](repeating: 0.25, count: 50)
        live.end(reason: "nobody is on")  // no DJ: nothing happens
        feed.begin(streamer: "DJ Sam")
        feed.append([Float](repeating: 0.5, count: 600), loud: true)
        _ = live.mix(programme)
        _ = live.mix(programme)
        #expect(live.phase == .live)
        live.end(reason: "the DJ was taken off the air by admin")
        #expect(live.mix([]).handBack)
        #expect(events.list.last == .liveEnded(reason: "the DJ was taken off the air by admin"))
        for _ in 0..<5 {
            feed.append([Float](repeating: 0.5, count: 100), loud: true)
            _ = live.mix(programme)
        }
        #expect(live.phase == .programme && !live.isOnAir)
        feed.begin(streamer: "DJ Sam")  // they reconnect
        feed.append([Float](repeating: 0.5, count: 600), loud: true)
        _ = live.mix(programme)
        #expect(live.isOnAir)
        #expect(events.list.filter { $0 == .liveStarted(streamer: "DJ Sam", title: TrackTitle(text: "DJ Sam")) }.count == 2)
    }
}
