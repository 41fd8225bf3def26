import ALSA
import Foundation
import Logging
import StationKit

/// Captures from an ALSA device (s16, the configured rate and channels; ALSA's plug layer converts).
/// Blocking reads: the sound card's clock paces the stream. Overruns are recovered and counted; a
/// device that fails later is reopened once a second, never fatal.
final class ALSASource: AudioSource {
    let device: String
    let format: AudioFormat
    private let logger: Logger
    private var capture: ALSACapture?
    private var buffer: [Int16]
    /// A quarter second per read (the ALSA buffer holds a second): few wake-ups, the encoder's tables
    /// stay warm in the CPU cache, and a live voice is still on air well within a listener's buffer.
    private let framesPerRead: Int
    private var sentTitle = false
    private var overruns = 0

    /// Opens the device now, so a missing device is an error at start.
    init(device: String, format: AudioFormat, logger: Logger) throws {
        self.device = device
        self.format = format
        self.logger = logger
        self.framesPerRead = max(256, format.sampleRate / 4)
        self.buffer = [Int16](repeating: 0, count: framesPerRead * format.channels)
        capture = try ALSACapture(device: device, sampleRate: format.sampleRate, channels: format.channels, latency: 1)
    }

    var isDeviceClocked: Bool { true }

    func nextChunk() -> AudioChunk {
        var track: TrackInfo?
        if !sentTitle {
            sentTitle = true
            track = TrackInfo(title: TrackTitle(text: "Live"), duration: nil)
        }
        guard let capture = openedCapture() else { return AudioChunk(samples: [], format: format, track: track) }
        do {
            switch try capture.read(into: &buffer, frames: framesPerRead) {
            case .frames(let frames):
                let count = frames * format.channels
                var samples = [Float](repeating: 0, count: count)
                for i in 0..<count { samples[i] = Float(buffer[i]) / 32768 }
                return AudioChunk(samples: samples, format: format, track: track)
            case .recoveredOverrun:
                overruns += 1
                logger.warning(
                    "ALSA capture overrun: audio was lost, capture recovered",
                    metadata: ["alsa.device": "\(device)", "alsa.overruns": "\(overruns)"])
            }
        } catch {
            logger.error("ALSA capture failed; reopening the device", metadata: ["alsa.device": "\(device)", "error": "\(error)"])
            self.capture = nil
        }
        return AudioChunk(samples: [], format: format, track: track)
    }

    func close() { capture = nil }

    private func openedCapture() -> ALSACapture? {
        if let capture { return capture }
        Pacer.sleep(nanoseconds: 1_000_000_000)
        do {
            capture = try ALSACapture(device: device, sampleRate: format.sampleRate, channels: format.channels, latency: 1)
            logger.info("ALSA capture device reopened", metadata: ["alsa.device": "\(device)"])
        } catch {
            logger.error("cannot reopen the ALSA capture device", metadata: ["alsa.device": "\(device)", "error": "\(error)"])
        }
        return capture
    }
}
