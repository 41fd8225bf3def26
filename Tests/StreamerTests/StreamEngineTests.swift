import Foundation
import Logging
import Testing

@testable import Streamer

@Suite struct StreamEngineTests {
    private func engine(
        source: SourceSettings, outputs: [OutputSettings] = [OutputSettings(mount: "/radio.ogg")],
        audio: AudioFormat = AudioFormat()
    ) -> StreamEngine {
        let icecast = IcecastSettings(host: "127.0.0.1", port: 9, user: "source", password: "s3cret-never-shown")
        return StreamEngine(
            settings: EngineSettings(audio: audio, source: source, outputs: outputs, icecast: icecast),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }, onEvent: { _ in })
    }

    @Test func missingALSADeviceIsOneClearLine() {
        let error = #expect(throws: StreamEngineError.self) { try engine(source: .alsa(device: "hw:9")).start() }
        #expect(error?.description == "cannot open ALSA capture device 'hw:9': No such file or directory")
    }

    @Test func impossibleEncoderSettingsAreRefusedAtStart() {
        let output = OutputSettings(mount: "/radio.ogg", format: .vorbis, quality: nil, bitrate: 900)
        let error = #expect(throws: StreamEngineError.self) {
            try engine(source: .tone(frequency: 440, titleEvery: 0), outputs: [output], audio: AudioFormat(sampleRate: 8000, channels: 1)).start()
        }
        #expect(
            error?.description.hasPrefix("output /radio.ogg: libvorbis cannot encode 8000 Hz mono with these settings (vorbis_encode_init failed")
                == true)
        #expect(error?.description.contains("s3cret") == false)
    }

    @Test func statusBeforeStartAndStopWithoutStart() {
        let idle = engine(source: .playlist(path: "/music", shuffle: true))
        #expect(idle.status == EngineStatus(source: "playlist /music", title: nil, connectedMounts: [], startedAt: nil))
        idle.stop()
        idle.skip()
        idle.setTitle("A - B")
        #expect(idle.status.title == nil)
    }
}
