import Foundation
import StationKit

/// A sine test signal at `frequency`; its title changes every `titleEvery` seconds of audio
/// ("Test tone #1", "#2", ...) or stays "OnAir test tone 440 Hz" when `titleEvery` is 0.
final class ToneSource: AudioSource {
    let frequency: Double
    let titleEvery: Double
    let format: AudioFormat
    let amplitude: Float = 0.5
    let framesPerChunk: Int
    private var phase: Double = 0
    private var framesDone = 0
    private var titleNumber = 0

    init(frequency: Double, titleEvery: Double, format: AudioFormat, framesPerChunk: Int = 2048) {
        self.frequency = frequency
        self.titleEvery = titleEvery
        self.format = format
        self.framesPerChunk = framesPerChunk
    }

    var isDeviceClocked: Bool { false }

    func nextChunk() -> AudioChunk {
        var track: TrackInfo?
        if titleEvery > 0 {
            let number = Int(Double(framesDone) / (titleEvery * Double(format.sampleRate))) + 1
            if number != titleNumber {
                titleNumber = number
                track = TrackInfo(title: TrackTitle(text: "Test tone #\(number)"), duration: titleEvery)
            }
        } else if framesDone == 0 {
            track = TrackInfo(title: TrackTitle(text: "OnAir test tone \(SourceSettings.hertz(frequency)) Hz"), duration: nil)
        }
        // Stop a chunk exactly at the next title change, so titles land on time.
        var frames = framesPerChunk
        if titleEvery > 0 {
            let boundary = Int((Double(titleNumber) * titleEvery * Double(format.sampleRate)).rounded())
            frames = max(1, min(frames, boundary - framesDone))
        }
        let channels = format.channels
        var samples = [Float](repeating: 0, count: frames * channels)
        let step = 2 * Double.pi * frequency / Double(format.sampleRate)
        for frame in 0..<frames {
            let value = amplitude * Float(sin(phase))
            for channel in 0..<channels { samples[frame * channels + channel] = value }
            phase += step
            if phase > 2 * Double.pi { phase -= 2 * Double.pi }
        }
        framesDone += frames
        return AudioChunk(samples: samples, format: format, track: track)
    }
}
