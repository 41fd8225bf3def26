import Foundation
import StationKit
import Testing

@testable import Streamer

@Suite struct NowPlayingStateTests {
    static let radio = NowPlayingState.Settings.Output(
        mount: "/radio.ogg", url: "http://127.0.0.1:8000/radio.ogg",
        format: "vorbis", bitrate: nil)
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func settings(listenerMount: String = "/radio.ogg", alsa: Bool = false) -> NowPlayingState.Settings {
        .init(
            stationName: "Radio Example", listenURL: "http://127.0.0.1:8000\(listenerMount)", listenerMount: listenerMount,
            outputs: [Self.radio], ownSourceIsLive: alsa, interval: 5)
    }

    func stats(_ mounts: IcecastStats.Mount...) -> IcecastStatusPoller.Outcome { .stats(IcecastStats(mounts: mounts)) }

    @Test func onlineWhenOurMountHasASource() {
        var state = NowPlayingState(settings: settings())
        #expect(!state.online)
        state.apply(stats(.init(mount: "/radio.ogg", listeners: 2)), at: t0)
        #expect(state.online)
        #expect(!state.live.isLive)
        #expect(state.listeners == 2)
        state.apply(stats(), at: t0 + 5)
        #expect(!state.online)
        state.apply(.unreachable(reason: "refused"), at: t0 + 10)
        #expect(!state.online)
        #expect(state.peak == 2)
    }

    @Test func malformedKeepsTheLastState() {
        var state = NowPlayingState(settings: settings())
        state.apply(stats(.init(mount: "/radio.ogg", listeners: 2)), at: t0)
        state.apply(.malformed(reason: "not JSON"), at: t0 + 5)
        #expect(state.online)
        #expect(state.listeners == 2)
    }

    @Test func djOnTheLiveMountMakesItLiveAndLeavingSwitchesBack() throws {
        var state = NowPlayingState(settings: settings(listenerMount: "/live.ogg"))
        state.titleChanged(text: "Tone - 440 Hz", artist: nil, title: nil, duration: nil, at: t0)
        // Only onaird's fallback mount: online through the fallback, not live.
        state.apply(stats(.init(mount: "/radio.ogg", listeners: 1)), at: t0 + 1)
        #expect(state.online)
        #expect(!state.live.isLive)
        #expect(state.current?.text == "Tone - 440 Hz")

        let start = t0 + 2
        state.apply(
            stats(
                .init(mount: "/radio.ogg", listeners: 0),
                .init(mount: "/live.ogg", listeners: 3, serverName: "DJ Sam", title: "Live Set", streamStart: start)),
            at: t0 + 5)
        #expect(state.online)
        #expect(state.live == NowPlayingDocument.Live(isLive: true, streamer: "DJ Sam", since: start))
        #expect(state.current?.text == "Live Set")
        #expect(state.current?.title == "Live Set")
        #expect(state.listeners == 3)
        #expect(state.history.first?.text == "Tone - 440 Hz")

        // BUTT's song update
        state.apply(
            stats(
                .init(mount: "/radio.ogg"),
                .init(
                    mount: "/live.ogg", listeners: 3, serverName: "DJ Sam", title: "Song", artist: "Band",
                    streamStart: start)), at: t0 + 10)
        #expect(state.current == NowPlayingDocument.Track(artist: "Band", title: "Song", text: "Band - Song", startedAt: t0 + 10))
        #expect(state.live.since == start)

        // Icecast keeps a husk of the fallback mount once the DJ leaves; its listeners still count.
        state.apply(
            stats(.init(mount: "/radio.ogg", listeners: 3), .init(mount: "/live.ogg", listeners: 1, hasSource: false)),
            at: t0 + 15)
        #expect(state.online)
        #expect(state.listeners == 4)
        #expect(state.live == NowPlayingDocument.Live())
        #expect(state.current?.text == "Tone - 440 Hz")
        #expect(state.history.map(\.text) == ["Band - Song", "Live Set", "Tone - 440 Hz"])
    }

    @Test func alsaSourceIsLiveWhileOnline() {
        var state = NowPlayingState(settings: settings(alsa: true))
        state.apply(stats(.init(mount: "/radio.ogg")), at: t0)
        #expect(state.live == NowPlayingDocument.Live(isLive: true, streamer: "Radio Example", since: t0))
        state.apply(stats(.init(mount: "/radio.ogg")), at: t0 + 5)
        #expect(state.live.since == t0)
        state.apply(.unreachable(reason: "down"), at: t0 + 10)
        #expect(!state.live.isLive)
    }

    @Test func historyKeepsTheLastTenNewestFirst() {
        var state = NowPlayingState(settings: settings())
        for index in 1...13 {
            state.titleChanged(
                text: "Artist \(index) - Song \(index)", artist: nil, title: nil, duration: nil,
                at: t0 + Double(index))
        }
        #expect(state.current?.text == "Artist 13 - Song 13")
        #expect(state.current?.artist == "Artist 13")
        #expect(state.history.count == 10)
        #expect(state.history.map(\.text) == (3...12).reversed().map { "Artist \($0) - Song \($0)" })
        #expect(state.history.first?.playedAt == t0 + 12)
        #expect(state.history.first?.title == "Song 12")
    }

    @Test func documentCarriesMountsListenersAndGoesOfflineOnStop() throws {
        var state = NowPlayingState(settings: settings())
        state.titleChanged(text: "A - B", artist: nil, title: nil, duration: 200, at: t0)
        state.apply(stats(.init(mount: "/radio.ogg", listeners: 4, bitrate: 112)), at: t0 + 1)
        state.apply(stats(.init(mount: "/radio.ogg", listeners: 1)), at: t0 + 2)
        let document = state.document(at: t0 + 3, shows: .init())
        #expect(document.online)
        #expect(document.listeners == .init(current: 1, peak: 4))
        #expect(document.station.mounts == [.init(url: "http://127.0.0.1:8000/radio.ogg", format: "vorbis", bitrate: nil, listeners: 1)])
        #expect(document.nowPlaying == .init(artist: "A", title: "B", text: "A - B", startedAt: t0, duration: 200))
        #expect(document.interval == 5)

        state.stop(at: t0 + 4)
        let offline = state.document(at: t0 + 4, shows: .init())
        #expect(!offline.online)
        #expect(offline.nowPlaying?.text == "A - B")
        let json = String(decoding: try offline.encoded(), as: UTF8.self)
        #expect(json.contains(#""online":false"#))
        #expect(json.contains(#""show":null"#))
    }

    @Test func statusLine() {
        var state = NowPlayingState(settings: settings())
        #expect(state.statusLine == "connecting to /radio.ogg")
        state.outputConnected("/radio.ogg")
        state.apply(stats(.init(mount: "/radio.ogg", listeners: 3)), at: t0)
        #expect(state.statusLine == "streaming to /radio.ogg, 3 listeners")
        let status = state.controlStatus(source: "tone 440 Hz", startedAt: t0 - 3725, at: t0)
        #expect(
            status.lines == [
                "source:     tone 440 Hz", "title:      (none)", "connected:  /radio.ogg",
                "listeners:  3", "status:     on air", "uptime:     1h 2m 5s",
            ])
    }
}
