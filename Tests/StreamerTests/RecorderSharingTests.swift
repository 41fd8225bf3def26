import Foundation
import Logging
import Opus
import StationKit
import Testing

@testable import Streamer

/// A recording that takes an output's Opus packets or MP3 frames instead of encoding again.
extension RecorderTests {
    /// Feeds the jazz slot (-2 s to 62 s) in 0.1 s blocks of a tone rising 1 Hz a block from 440 Hz
    /// (so that no two packets are alike) through an "output" encoder
    /// (tapped, with two title changes: Opus chains its stream there), handing the recorder its packets,
    /// except from `away.lowerBound` to `away.upperBound` s (Icecast away: no packets).
    func feedShared(_ recorder: Recorder, output: OutputSettings, away: Range<Double> = 0..<0) throws -> [EncodedPacket] {
        let encoder = try StreamEncoders.make(output, format: audio, title: nil, tapPackets: true)
        var sent: [EncodedPacket] = []
        let frames = audio.sampleRate / 10
        for index in 0..<640 {
            let at = -2 + Double(index) / 10
            let block = (0..<frames * 2).map { sample in
                Float(0.3 * sin(2 * Double.pi * Double(440 + index) * Double(sample / 2) / Double(audio.sampleRate)))
            }
            // The record: false show before the slot is silent in the recording until the first jazz item.
            if index == 25 { recorder.mark(TrackTitle(artist: nil, title: "Tune"), show: "jazz") }
            if index == 150 || index == 400 { _ = try encoder.changeTitle(TrackTitle(artist: nil, title: "Tune \(index)")) }
            _ = try encoder.encode(block)
            let packets = encoder.takePackets() ?? []
            if away.contains(at) {
                recorder.write(block, packets: nil, at: slotStart.addingTimeInterval(at))
            } else {
                sent += packets
                recorder.write(block, packets: packets, at: slotStart.addingTimeInterval(at))
            }
        }
        return sent
    }

    static let opus96 = OutputSettings(mount: "/radio.opus", format: .opus, quality: nil, bitrate: 96)
    static let mp3128 = OutputSettings(mount: "/radio.mp3", format: .mp3, quality: nil, bitrate: 128)

    func sharedRecorder(_ folder: TemporaryFolder, _ output: OutputSettings) throws -> Recorder {
        var settings = try station(folder)
        settings.bitrate = output.bitrate ?? 96
        settings.format = output.format == .mp3 ? .mp3 : .opus
        #expect(settings.canShare(output))
        let recorder = Recorder(
            settings: settings, audio: audio, logger: logger, emit: { _ in }, queueSeconds: 600, sharedFrom: output.mount)
        recorder.start()
        return recorder
    }

    /// The decoded length and the tenths of a second in `tone` where the tone is missing.
    func decoded(_ path: String, tone: ClosedRange<Double>) throws -> (seconds: Double, quietTenths: [Int]) {
        let decoder = try TrackDecoders.open(path)
        var samples: [Float] = []
        while let block = try decoder.read(maxFrames: 48_000) { samples += block.samples }
        let tenth = 4_800 * 2
        let quiet = (Int(tone.lowerBound * 10)..<min(samples.count / tenth, Int(tone.upperBound * 10))).filter { index in
            (samples[index * tenth..<(index + 1) * tenth].map(abs).max() ?? 0) < 0.2
        }
        return (Double(samples.count / 2) / 48_000, quiet)
    }

    @Test(arguments: [opus96, mp3128])
    func aSharedRecordingIsMadeOfTheOutputsPacketsCutAtTheSlot(output: OutputSettings) throws {
        let folder = try TemporaryFolder()
        let recorder = try sharedRecorder(folder, output)
        let sent = try feedShared(recorder, output: output)
        recorder.stop()

        let ext = output.format == .mp3 ? "mp3" : "opus"
        let path = folder.path("rec/jazz/2026-12-05-1100.\(ext)")
        let file = try Data(contentsOf: URL(fileURLWithPath: path))
        // The output's packets of the slot (from 1 s in to 1 s before its end) are in the file byte
        // for byte (but for Ogg pages splitting a few); those from before the slot are not.
        var at = -2.0
        var inSlot: [EncodedPacket] = [], before: [EncodedPacket] = []
        for packet in sent {
            if at > 1 && at < 59 { inSlot.append(packet) } else if at < -1 { before.append(packet) }
            at += packet.seconds
        }
        let sample = stride(from: 0, to: inSlot.count, by: 10).map { inSlot[$0] }  // Foundation's search is fast
        let found = sample.filter { file.range(of: Data($0.bytes)) != nil }.count
        #expect(Double(found) > 0.9 * Double(sample.count), "\(found) of \(sample.count)")
        #expect(before.filter { $0.bytes.count > 40 && file.range(of: Data($0.bytes)) != nil }.isEmpty)
        let result = try decoded(path, tone: 0.7...59.8)
        #expect(abs(result.seconds - 60) < 0.1, "\(result.seconds)")
        #expect(result.quietTenths.isEmpty)  // no gap or repeat at the output's title changes
        let sidecar = try RecordingSidecar.decode(Data(contentsOf: URL(fileURLWithPath: folder.path("rec/jazz/2026-12-05-1100.json"))))
        #expect(sidecar.duration == 60)
    }

    /// Icecast away for 10 s mid-airing: the recording encodes those seconds itself and goes on.
    @Test(arguments: [opus96, mp3128])
    func aSharedRecordingEncodesForItselfWhileTheOutputIsAway(output: OutputSettings) throws {
        let folder = try TemporaryFolder()
        let recorder = try sharedRecorder(folder, output)
        _ = try feedShared(recorder, output: output, away: 20..<30)
        recorder.stop()
        let ext = output.format == .mp3 ? "mp3" : "opus"
        let result = try decoded(folder.path("rec/jazz/2026-12-05-1100.\(ext)"), tone: 0.7...59.8)
        #expect(abs(result.seconds - 60) < 0.15, "\(result.seconds)")
        #expect(result.quietTenths.isEmpty)
    }

    /// LAME's bytes cut into whole frames: they add up to the stream, each 1152 samples long.
    @Test func mp3BytesAreCutIntoWholeFrames() throws {
        let encoder = try MP3StreamEncoder(output: Self.mp3128, format: audio, tapPackets: true)
        var bytes: [UInt8] = []
        var frames: [EncodedPacket] = []
        for _ in 0..<20 {
            bytes += try encoder.encode([Float](repeating: 0.1, count: 4_800 * 2))
            frames += encoder.takePackets() ?? []
        }
        bytes += encoder.finish()
        frames += encoder.takePackets() ?? []
        #expect(frames.flatMap(\.bytes) == bytes)
        #expect(frames.allSatisfy { $0.seconds == 1_152.0 / 48_000 && [384, 385].contains($0.bytes.count) })
        var splitter = MP3FrameSplitter()
        splitter.add(Array(bytes[..<1_000]))
        let firstTwo = splitter.take()
        splitter.add(Array(bytes[1_000...]))
        #expect((firstTwo + splitter.take()).count == frames.count && firstTwo.count == 2)
    }
}
