import Foundation
import StationKit
import Testing

@testable import Streamer

@Suite struct OutputFormatConfigTests {
    func load(_ yaml: String) throws(ConfigError) -> DaemonConfig {
        try DaemonConfig.parse(
            yaml: yaml, file: "onaird.yaml", baseDirectory: URL(fileURLWithPath: "/srv/radio"),
            environment: ["ONAIR_SOURCE_PASSWORD": "hackme"])
    }

    @Test func threeOutputsWithTheirDefaults() throws {
        let config = try load(
            """
            outputs:
              - { mount: /radio.opus, format: opus }
              - { mount: /radio.ogg, format: vorbis, quality: 5 }
              - { mount: /radio.mp3, format: mp3 }
              - { mount: /vbr.mp3, format: mp3, quality: 2 }
              - { mount: /low.opus, format: opus, bitrate: 32 }
            """)
        #expect(
            config.outputs == [
                OutputSettings(mount: "/radio.opus", format: .opus, quality: nil, bitrate: 96),
                OutputSettings(mount: "/radio.ogg", format: .vorbis, quality: 0.5, bitrate: nil),
                OutputSettings(mount: "/radio.mp3", format: .mp3, quality: nil, bitrate: 128),
                OutputSettings(mount: "/vbr.mp3", format: .mp3, quality: 2, bitrate: nil),
                OutputSettings(mount: "/low.opus", format: .opus, quality: nil, bitrate: 32),
            ])
    }

    @Test(arguments: [
        (
            "outputs:\n  - { mount: /a.mp3, format: mp3, bitrate: 500 }\n",
            "onaird.yaml:2: 'outputs[1].bitrate' must be an MP3 bitrate in kbit/s from 32 to 320, not '500'"
        ),
        (
            "outputs:\n  - { mount: /a.mp3, format: mp3, quality: 10 }\n",
            "onaird.yaml:2: 'outputs[1].quality' must be a LAME VBR quality from 0 (best) to 9 (as lame -V), not '10'"
        ),
        (
            "outputs:\n  - { mount: /a.opus, format: opus, quality: 5 }\n",
            "onaird.yaml:2: 'outputs[1].quality' must be left out for opus (set 'bitrate' in kbit/s instead), not set"
        ),
        (
            "outputs:\n  - { mount: /a.opus, format: opus, bitrate: 600 }\n",
            "onaird.yaml:2: 'outputs[1].bitrate' must be an Opus bitrate in kbit/s from 6 to 510, not '600'"
        ),
        (
            "outputs:\n  - { mount: /a.ogg }\n  - { mount: /a.aac, format: aac }\n",
            "onaird.yaml:3: 'outputs[2].format' must be vorbis, mp3 or opus, not 'aac'"
        ),
    ])
    func badOutputNamesTheKey(yaml: String, expected: String) throws {
        let error = try #require(throws: ConfigError.self) { try load(yaml) }
        #expect(error.description == expected)
    }

    @Test func opusIsFedTheStationRateAndConvertsItself() {
        let station = AudioFormat(sampleRate: 44_100, channels: 2)
        #expect(
            StreamEncoders.sampleRate(
                of: OutputSettings(mount: "/a.opus", format: .opus, quality: nil, bitrate: 96),
                station: station) == 44_100)
        #expect(
            StreamEncoders.sampleRate(
                of: OutputSettings(mount: "/a.mp3", format: .mp3, quality: nil, bitrate: 128),
                station: station) == 44_100)
    }
}
