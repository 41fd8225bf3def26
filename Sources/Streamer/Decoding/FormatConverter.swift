import Logging
import SampleRate

/// Brings a source's audio to the output format once, before the encoders: channels are remixed
/// (mono <-> stereo, more channels folded down) and the rate converted with libsamplerate.
/// The converter keeps its filter state between blocks, so tracks join without a click.
final class FormatConverter {
    let target: AudioFormat
    private var resampler: SampleRateConverter?
    private var resamplerInputRate = 0

    init(target: AudioFormat) {
        self.target = target
    }

    func convert(_ samples: [Float], from format: AudioFormat) throws -> [Float] {
        let remixed = Self.remix(samples, from: format.channels, to: target.channels)
        guard format.sampleRate != target.sampleRate else {
            resampler = nil
            return remixed
        }
        if resampler == nil || resamplerInputRate != format.sampleRate {
            resampler = try SampleRateConverter(
                channels: target.channels, inputRate: format.sampleRate,
                outputRate: target.sampleRate)
            resamplerInputRate = format.sampleRate
        }
        guard let resampler else { return remixed }
        return try resampler.process(remixed)
    }

    /// Same channels: unchanged. One in: copied to every output channel. Otherwise each output channel
    /// is the average of the input channels that map onto it (channel i goes to i % outputs).
    static func remix(_ samples: [Float], from inputs: Int, to outputs: Int) -> [Float] {
        guard inputs != outputs, inputs > 0, outputs > 0 else { return samples }
        let frames = samples.count / inputs
        var out = [Float](repeating: 0, count: frames * outputs)
        if inputs == 1 {
            for frame in 0..<frames {
                for channel in 0..<outputs { out[frame * outputs + channel] = samples[frame] }
            }
            return out
        }
        var counts = [Float](repeating: 0, count: outputs)
        for channel in 0..<inputs { counts[channel % outputs] += 1 }
        for frame in 0..<frames {
            for channel in 0..<inputs {
                out[frame * outputs + channel % outputs] += samples[frame * inputs + channel]
            }
            for channel in 0..<outputs where counts[channel] > 1 { out[frame * outputs + channel] /= counts[channel] }
        }
        return out
    }
}
