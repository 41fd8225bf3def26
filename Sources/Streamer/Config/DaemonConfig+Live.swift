import StationKit

extension DaemonConfig {
    /// `live: { mount, stall_after, silence_after, fade, buffer, end_hold }`: every key has a default;
    /// `live: {}` listens on /dj, no `live:` (or `live: false`) means no DJ input.
    static let liveKeys = ["mount", "stall_after", "silence_after", "fade", "buffer", "end_hold"]

    static func readLive(
        _ top: ConfigReader.Section, reader: ConfigReader, silenceThreshold: Double,
        outputs: [OutputSettings], admin: IcecastAdmin?
    ) throws(ConfigError) -> LiveSettings? {
        guard let node = top.values["live"] else { return nil }
        if ["false", "off", "no"].contains(node.scalar?.string.lowercased() ?? "") { return nil }
        let section = try reader.subsection(top, "live", keys: liveKeys)
        var live = LiveSettings()
        live.mount = try reader.mount(section, "mount", default: live.mount)
        if outputs.contains(where: { $0.mount == live.mount }) {
            throw .invalid(
                file: reader.file, line: reader.line(section, "mount"), key: "live.mount",
                requirement: "a mount of its own for DJs (e.g. /dj), not one of the outputs",
                value: "'\(live.mount)'")
        }
        live.stallAfter = try reader.number(
            section, "stall_after", default: live.stallAfter, in: 1...300,
            requirement: "a number of seconds from 1 to 300")
        live.silenceAfter = try reader.number(
            section, "silence_after", default: live.silenceAfter, in: 1...3600,
            requirement: "a number of seconds from 1 to 3600")
        live.fade = try reader.number(
            section, "fade", default: live.fade, in: 0...10,
            requirement: "a number of seconds from 0 (a cut) to 10")
        live.jitter = try reader.number(
            section, "buffer", default: live.jitter, in: 0.25...10,
            requirement: "a number of seconds from 0.25 to 10 (the DJ's audio held against network jitter)")
        live.endHold = try reader.number(
            section, "end_hold", default: live.endHold, in: 0...86_400,
            requirement: "a number of seconds from 0 (a DJ taken off the air may come straight back) to 86400")
        live.silenceThreshold = silenceThreshold
        live.admin = admin
        return live
    }
}
