import Logging

/// The station's PCM converted to the other rates outputs encode at (Opus: 48 kHz), one
/// libsamplerate converter per rate — not per output — each keeping its state between blocks.
final class OutputRateConverters {
    let station: AudioFormat
    private var converters: [Int: FormatConverter] = [:]

    init(station: AudioFormat) {
        self.station = station
    }

    func convert(_ samples: [Float], to rate: Int, logger: Logger) -> [Float] {
        guard rate != station.sampleRate else { return samples }
        let converter = converters[rate] ?? FormatConverter(target: AudioFormat(sampleRate: rate, channels: station.channels))
        converters[rate] = converter
        do {
            return try converter.convert(samples, from: station)
        } catch {
            logger.error(
                "cannot convert the audio to an output's rate; dropping a block",
                metadata: ["output.rate": "\(rate)", "error": "\(error)"])
            return []
        }
    }
}
