import Foundation
import StationKit

/// `record:` in onaird.yaml: every airing of every show (unless its page says `record: false`)
/// goes to `dir/<show>/<YYYY-MM-DD-HHMM>.<ext>` with a JSON sidecar.
struct RecordingSettings: Sendable, Hashable {
    /// Absolute folder of the recordings (one sub-folder per show).
    var dir: String
    var format: RecordingFormat = .opus
    /// kbit/s (Vorbis: average bitrate). Unset, it is the bitrate of the first output of the same
    /// format, so that the recording can take that output's packets.
    var bitrate: Int = 96
    /// Airings older than this many days are deleted with their sidecars; 0 keeps everything.
    var keepDays: Int = 30
    /// `site/schedule.json`: which show is on air, its title and its `record` flag.
    var scheduleFile: String

    /// The output settings of the recording's own encoder.
    var output: OutputSettings {
        let format: OutputFormat =
            switch self.format {
            case .opus: .opus
            case .mp3: .mp3
            case .vorbis: .vorbis
            }
        return OutputSettings(mount: "/recording", format: format, quality: nil, bitrate: bitrate)
    }

    /// True when the recording can take `output`'s packets (Opus) or frames (MP3, constant
    /// bitrate) instead of encoding again: the same codec and bitrate, both fed the station's PCM.
    /// Not Vorbis: an output's Vorbis stream restarts its encoder at every title, and its packets
    /// joined into one stream would click there.
    func canShare(_ output: OutputSettings) -> Bool {
        switch (format, output.format) {
        case (.opus, .opus): (output.bitrate ?? StreamEncoders.opusDefaultBitrate) == bitrate
        case (.mp3, .mp3): output.quality == nil && (output.bitrate ?? StreamEncoders.mp3DefaultBitrate) == bitrate
        default: false
        }
    }
}

extension DaemonConfig {
    static let recordKeys = ["dir", "format", "bitrate", "keep_days"]

    /// `record: { dir: DIR, format: opus|mp3|vorbis, bitrate: N, keep_days: 30 }`; absent or `false`: nil.
    static func readRecording(
        _ top: ConfigReader.Section, reader: ConfigReader, site: String, outputs: [OutputSettings]
    ) throws(ConfigError) -> RecordingSettings? {
        guard let node = top.values["record"] else { return nil }
        if let text = node.scalar?.string.lowercased(), ["false", "off", "no"].contains(text) { return nil }
        let section = try reader.section(node, path: "record", keys: recordKeys)
        guard section.values["dir"] != nil else {
            throw .invalid(
                file: reader.file, line: reader.line(top, "record"), key: "record.dir",
                requirement: "set to the folder recordings go to (e.g. ./recordings)", value: "missing")
        }
        let dir = try reader.path(section, "dir", default: "")
        let name = try reader.string(section, "format", default: RecordingFormat.opus.rawValue)
        guard let format = RecordingFormat(rawValue: name) else {
            throw .invalid(
                file: reader.file, line: reader.line(section, "format"), key: "record.format",
                requirement: "opus, mp3 or vorbis", value: "'\(name)'")
        }
        let range: ClosedRange<Int> =
            switch format {
            case .opus: 6...510
            case .mp3: 32...320
            case .vorbis: 32...500
            }
        let sameFormat = outputs.first { $0.format.rawValue == format.rawValue }?.bitrate
        let bitrate = try reader.integer(
            section, "bitrate", default: sameFormat.map { min(max($0, range.lowerBound), range.upperBound) } ?? (format == .mp3 ? 128 : 96),
            in: range,
            requirement: "a bitrate in kbit/s from \(range.lowerBound) to \(range.upperBound) for \(format.rawValue)")
        let keepDays = try reader.integer(
            section, "keep_days", default: 30, in: 0...36_500,
            requirement: "a number of days from 0 (keep every recording) to 36500")
        return RecordingSettings(
            dir: dir, format: format, bitrate: bitrate, keepDays: keepDays,
            scheduleFile: URL(fileURLWithPath: site).appendingPathComponent(SiteFiles.schedule).path)
    }
}
