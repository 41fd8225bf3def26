import Foundation
import StationKit
import Testing

@testable import Streamer

@Suite struct DaemonConfigTests {
    let base = URL(fileURLWithPath: "/srv/radio", isDirectory: true)
    let env = ["ONAIR_SOURCE_PASSWORD": "hackme"]

    func load(_ yaml: String, environment: [String: String]? = nil) throws(ConfigError) -> DaemonConfig {
        try DaemonConfig.parse(yaml: yaml, file: "onaird.yaml", baseDirectory: base, environment: environment ?? env)
    }

    @Test func theStationIsNamedOnceInStationYAMLThroughTheSite() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path("site"), withIntermediateDirectories: true)
        let schedule = ScheduleDocument(timezone: "UTC", shows: [:], weekly: [], specials: [], upcoming: [], stationName: "Kanal\u{2028}Elbe")
        try JSONEncoder.onAir().encode(schedule).write(to: URL(fileURLWithPath: folder.path("site/schedule.json")))
        let named = try DaemonConfig.parse(yaml: "site: ./site\n", file: "onaird.yaml", baseDirectory: folder.url, environment: env)
        #expect(named.stationName == "Kanal Elbe")
        let overridden = try DaemonConfig.parse(
            yaml: "site: ./site\nstation_name: Test\n", file: "onaird.yaml",
            baseDirectory: folder.url, environment: env)
        #expect(overridden.stationName == "Test")
        try Data("{".utf8).write(to: URL(fileURLWithPath: folder.path("site/schedule.json")))
        #expect(
            try DaemonConfig.parse(yaml: "site: ./site\n", file: "onaird.yaml", baseDirectory: folder.url, environment: env).stationName == "OnAir")
    }

    @Test func defaultsForAnEmptyFile() throws {
        let config = try load("")
        #expect(config.site.path == "/srv/radio/site")
        #expect(config.interval == 5)
        #expect(config.controlSocket == "/srv/radio/onaird.sock")
        #expect(config.icecast.url == "http://127.0.0.1:8000")
        #expect(config.icecast.user == "source")
        #expect(config.icecast.password == "hackme")
        #expect(config.icecast.listenerMount == "/radio.ogg")
        #expect(config.outputs == [OutputSettings(mount: "/radio.ogg", format: .vorbis, quality: 0.4, bitrate: nil)])
        #expect(config.audio == AudioFormat(sampleRate: 44_100, channels: 2))
        #expect(config.source.kind == .tone)
        #expect(config.source == .tone(frequency: 440, titleEvery: 0))
        #expect(config.stationName == "OnAir")
        #expect(config.publicStreamURL == "http://127.0.0.1:8000/radio.ogg")
    }

    @Test func fullConfig() throws {
        let config = try load(
            """
            site: ../www
            interval: 10
            control_socket: /run/onaird/onaird.sock
            station_name: Radio Example
            icecast:
              url: http://radio.local:8001/
              user: dj
              listener_mount: /live.ogg
            outputs:
              - { mount: /radio.ogg, format: vorbis, quality: 5 }
              - { mount: /low.ogg, bitrate: 64 }
            audio: { sample_rate: 48000, channels: 1 }
            source:
              kind: playlist
              path: music/list.m3u
              shuffle: no
            """)
        #expect(config.site.path == "/srv/www")
        #expect(config.interval == 10)
        #expect(config.icecast.host == "radio.local")
        #expect(config.icecast.port == 8001)
        #expect(config.icecast.url == "http://radio.local:8001")
        #expect(config.publicStreamURL == "http://radio.local:8001/live.ogg")
        #expect(config.outputs[0].quality == 0.5)
        #expect(config.outputs[1] == OutputSettings(mount: "/low.ogg", format: .vorbis, quality: nil, bitrate: 64))
        #expect(config.engineSettings.source == .playlist(path: "/srv/radio/music/list.m3u", shuffle: false))
        #expect(config.engineSettings.audio == AudioFormat(sampleRate: 48_000, channels: 1))
        #expect(config.engineSettings.icecast.stationName == "Radio Example")
    }

    @Test(arguments: [
        ("intervall: 5\n", "onaird.yaml:1: unknown key 'intervall' (did you mean 'interval'?)"),
        ("site: ./site\n\n\n\n\n\nintervall: 5\n", "onaird.yaml:7: unknown key 'intervall' (did you mean 'interval'?)"),
        ("icecast:\n  usr: source\n", "onaird.yaml:2: unknown key 'icecast.usr' (did you mean 'icecast.user'?)"),
        ("colour: red\n", "onaird.yaml:1: unknown key 'colour'"),
        ("outputs:\n  - { mount: /a.ogg, qualty: 3 }\n", "onaird.yaml:2: unknown key 'outputs[1].qualty' (did you mean 'outputs[1].quality'?)"),
        ("interval: soon\n", "onaird.yaml:1: 'interval' must be a whole number of seconds from 1 to 3600, not 'soon'"),
        ("interval: 0\n", "onaird.yaml:1: 'interval' must be a whole number of seconds from 1 to 3600, not '0'"),
        ("interval: [1]\n", "onaird.yaml:1: 'interval' must be a whole number of seconds from 1 to 3600, not a list"),
        ("icecast:\n  url: https://x\n", "onaird.yaml:2: 'icecast.url' must be an http://host:port address, not 'https://x'"),
        ("icecast:\n  url: http://x:99999\n", "onaird.yaml:2: 'icecast.url' must be an http://host:port address, not 'http://x:99999'"),
        (
            "icecast:\n  listener_mount: radio.ogg\n",
            "onaird.yaml:2: 'icecast.listener_mount' must be a mount path starting with '/', e.g. /radio.ogg, not 'radio.ogg'"
        ),
        ("outputs: []\n", "onaird.yaml:1: 'outputs' must be a list of at least one output, not an empty list"),
        ("outputs: /radio.ogg\n", "onaird.yaml:1: 'outputs' must be a list (lines starting with '- '), not '/radio.ogg'"),
        ("outputs:\n  - { mount: /a.aac, format: aac }\n", "onaird.yaml:2: 'outputs[1].format' must be vorbis, mp3 or opus, not 'aac'"),
        (
            "outputs:\n  - { mount: /a.ogg, quality: 11 }\n",
            "onaird.yaml:2: 'outputs[1].quality' must be a Vorbis quality from -1 to 10 (as oggenc -q), not '11'"
        ),
        (
            "outputs:\n  - { mount: /a.ogg, quality: 3, bitrate: 128 }\n",
            "onaird.yaml:2: 'outputs[1].bitrate' must be left out when 'quality' is set (choose one), not both"
        ),
        (
            "outputs:\n  - { mount: /a.ogg }\n  - { mount: /a.ogg }\n",
            "onaird.yaml:3: 'outputs[2].mount' must be different from the other outputs' mounts, not '/a.ogg' again"
        ),
        ("outputs:\n  - { quality: 3 }\n", "onaird.yaml: 'outputs[1].mount' must be set (e.g. /radio.ogg), not missing"),
        ("audio: { sample_rate: 22050 }\n", "onaird.yaml:1: 'audio.sample_rate' must be 44100 or 48000, not '22050'"),
        ("audio: { channels: 6 }\n", "onaird.yaml:1: 'audio.channels' must be 1 (mono) or 2 (stereo), not '6'"),
        ("source: { kind: radio }\n", "onaird.yaml:1: 'source.kind' must be schedule, playlist, alsa or tone, not 'radio'"),
        ("source: { shuffle: maybe }\n", "onaird.yaml:1: 'source.shuffle' must be true or false, not 'maybe'"),
        ("source: { frequency: 5 }\n", "onaird.yaml:1: 'source.frequency' must be a frequency in Hz from 20 to 20000, not '5'"),
        ("source: playlist\n", "onaird.yaml:1: 'source' must be a mapping of keys (e.g. '{ key: value }'), not 'playlist'"),
        ("site:\n", "onaird.yaml:1: 'site' must be a non-empty text, not ''"),
        ("- a\n- b\n", "onaird.yaml: expected 'key: value' lines at the top level"),
        ("interval: 5\ninterval: 6\n", "onaird.yaml:2: key 'interval' is set twice"),
    ])
    func badConfigNamesTheKey(yaml: String, expected: String) throws {
        let error = try #require(throws: ConfigError.self) { try load(yaml) }
        #expect(error.description == expected)
    }

    @Test func everyMountsPublicURLSitsBesideTheListenURL() throws {
        let proxied = try load(
            """
            public_stream_url: https://radio.example/stream/live.ogg
            icecast: { listener_mount: /live.ogg }
            outputs:
              - { mount: /radio.ogg, format: vorbis }
              - { mount: /radio.mp3, format: mp3 }
            """)
        #expect(proxied.publicURL(of: "/live.ogg") == "https://radio.example/stream/live.ogg")
        #expect(proxied.publicURL(of: "/radio.ogg") == "https://radio.example/stream/radio.ogg")
        #expect(proxied.publicURL(of: "/radio.mp3") == "https://radio.example/stream/radio.mp3")
        // A listen URL that does not end in the listener mount's name (a relay elsewhere): the other
        // mounts keep Icecast's own address.
        let relayed = try load(
            """
            public_stream_url: https://cdn.example/station
            outputs: [ { mount: /radio.ogg, format: vorbis }, { mount: /radio.mp3, format: mp3 } ]
            """)
        #expect(relayed.publicURL(of: "/radio.ogg") == "https://cdn.example/station")
        #expect(relayed.publicURL(of: "/radio.mp3") == "http://127.0.0.1:8000/radio.mp3")
        #expect(try load("").publicURL(of: "/radio.mp3") == "http://127.0.0.1:8000/radio.mp3")
    }

    @Test func brokenYAMLGivesTheLine() throws {
        let error = try #require(throws: ConfigError.self) { try load("site: ./site\nicecast: [a\n") }
        #expect(error.description.hasPrefix("onaird.yaml:3: not valid YAML: "))
    }

    @Test func passwordComesFromTheFileWhenTheEnvironmentIsEmpty() throws {
        let folder = try TemporaryFolder()
        try folder.write("source.password", "  s3cret \nsecond line\n")
        try folder.write("onaird.yaml", "icecast: { password_file: source.password }\n")
        let config = try DaemonConfig.load(path: folder.path("onaird.yaml"), environment: [:])
        #expect(config.icecast.password == "s3cret")
        #expect(config.icecast.passwordSource == folder.path("source.password"))
        #expect(!"\(config)".contains("s3cret"))
        #expect(!String(reflecting: config).contains("s3cret"))
    }

    @Test func unreadablePasswordFileSaysWhich() throws {
        let folder = try TemporaryFolder()
        try folder.write("onaird.yaml", "interval: 5\n")
        let missing = try #require(throws: ConfigError.self) {
            try DaemonConfig.load(path: folder.path("onaird.yaml"), environment: [:])
        }
        #expect(missing.description == "cannot read password file \(folder.path("source.password")): no such file or directory")
        try FileManager.default.createDirectory(atPath: folder.path("source.password"), withIntermediateDirectories: false)
        let directory = try #require(throws: ConfigError.self) {
            try DaemonConfig.load(path: folder.path("onaird.yaml"), environment: [:])
        }
        #expect(directory.description == "cannot read password file \(folder.path("source.password")): is a directory")
        #expect(
            ConfigError.unreadablePassword(path: "/x/source.password", reason: "permission denied", permission: true).description
                == "cannot read password file /x/source.password: permission denied (run as the onair user?)")
    }

    @Test func emptyPasswordFile() throws {
        let folder = try TemporaryFolder()
        try folder.write("pw", "\n")
        try folder.write("onaird.yaml", "icecast: { password_file: pw }\n")
        let error = try #require(throws: ConfigError.self) {
            try DaemonConfig.load(path: folder.path("onaird.yaml"), environment: [:])
        }
        #expect(error.description == "password file \(folder.path("pw")) is empty: put the Icecast source password on its first line")
    }

    @Test func missingConfigFile() throws {
        let error = try #require(throws: ConfigError.self) {
            try DaemonConfig.load(path: "/nonexistent/onaird.yaml", environment: env)
        }
        #expect(error.description == "cannot read config file /nonexistent/onaird.yaml: no such file or directory")
    }
}
