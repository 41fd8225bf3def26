import Foundation
import StationKit
import Testing

@testable import Streamer

@Suite struct IcecastStatsTests {
    static let source = #"""
        {"audio_info":"channels=2;quality=0.4;samplerate=44100","channels":2,"genre":"various",
         "listener_peak":4,"listeners":3,"listenurl":"http://127.0.0.1:8000/radio.ogg","quality":"0.4",
         "samplerate":44100,"server_description":"","server_name":"Radio Example","server_type":"application/ogg",
         "stream_start":"Tue, 24 Nov 2026 21:00:05 +0000","stream_start_iso8601":"2026-11-24T21:00:05+0000",
         "title":"Title","artist":"Artist","dummy":null}
        """#
    static let live = #"""
        {"listeners":1,"listener_peak":1,"listenurl":"http://127.0.0.1:8000/live.ogg","server_name":"DJ Sam",
         "title":"Live Set","stream_start_iso8601":"2026-11-24T22:00:00+0100","bitrate":128}
        """#

    func wrap(_ source: String?) -> Data {
        let inner = source.map { #","source":\#($0)"# } ?? ""
        return Data(#"{"icestats":{"admin":"icemaster@localhost","host":"localhost","server_id":"Icecast 2.4.4"\#(inner)}}"#.utf8)
    }

    @Test func noSourceKeyMeansNoMounts() throws {
        #expect(try IcecastStats.parse(wrap(nil)).mounts.isEmpty)
    }

    @Test func oneSourceIsAnObject() throws {
        let stats = try IcecastStats.parse(wrap(Self.source))
        #expect(stats.mounts.count == 1)
        let mount = try #require(stats["/radio.ogg"])
        #expect(mount.listeners == 3)
        #expect(mount.listenerPeak == 4)
        #expect(mount.serverName == "Radio Example")
        #expect(mount.songText == "Artist - Title")
        #expect(mount.streamStart == ISO8601.date("2026-11-24T21:00:05Z"))
    }

    @Test func severalSourcesAreAnArray() throws {
        let stats = try IcecastStats.parse(wrap("[\(Self.source),\(Self.live)]"))
        #expect(stats.mounts.map(\.mount) == ["/radio.ogg", "/live.ogg"])
        let live = try #require(stats["/live.ogg"])
        #expect(live.songText == "Live Set")
        #expect(live.bitrate == 128)
        #expect(live.listeners == 1)  // 1 and 0 must not be taken for booleans
        #expect(live.listenerPeak == 1)
        #expect(live.streamStart == ISO8601.date("2026-11-24T21:00:00Z"))
    }

    @Test func aFallbackMountWithoutItsSourceIsAHusk() throws {
        let husk = #"{"listeners":2,"listenurl":"http://127.0.0.1:8000/live.ogg"}"#
        let stats = try IcecastStats.parse(wrap("[\(husk),\(Self.source)]"))
        #expect(stats["/live.ogg"]?.listeners == 2)
        #expect(stats["/live.ogg"]?.hasSource == false)
        #expect(stats.source(on: "/live.ogg") == nil)
        #expect(stats.source(on: "/radio.ogg") != nil)
    }

    @Test(arguments: [
        "", "<html>", #"{"icestats":{"source":{"listeners":1,"listenurl":"#, #"{"other":{}}"#,
        #"{"icestats":{"source":"x"}}"#, #"{"icestats":{"source":[1,2]}}"#,
    ])
    func malformedRepliesThrow(text: String) {
        #expect(throws: IcecastStats.Malformed.self) { try IcecastStats.parse(Data(text.utf8)) }
    }
}
