import Foundation
import StationKit

extension DaemonConfig {
    /// The programme keys of onaird.yaml beside `source: { kind: schedule, music: DIR }`.
    struct ProgrammeConfig: Sendable, Equatable {
        /// `slot_grace`: seconds a new slot may wait for the current track to end (then it fades out).
        var slotGrace: Double = 30
        /// `ids_every`: seconds between station IDs from `music/ids/` (0 = none).
        var idsEvery: Double = 0
        /// `silence.threshold` (dBFS) and `silence.after` (s): a track silent longer is skipped.
        var silenceThreshold: Double = -50
        var silenceAfter: Double = 10
        /// `hooks.title|live|alarm`: shell commands that get each event as JSON on stdin.
        var hooks = Hooks()
        /// `playout_log`: one JSON line per aired item (nil = no log).
        var playoutLog: String?
        /// `loudness`: target LUFS (EBU R128) for the schedule source; `false` = off (nil).
        var loudness: Double? = -16
        /// Where loudness measurements are kept: `$CACHE_DIRECTORY` (systemd), `$XDG_CACHE_HOME/onair`
        /// or `~/.cache/onair`, file `loudness.tsv`; nil when none is known (memory only).
        var loudnessCache: String?
        /// `crossfade`: seconds a track overlaps the next (0 = gapless).
        var crossfade: Double = 0
        init() {}
    }

    struct Hooks: Sendable, Equatable {
        var title: String?
        var live: String?
        var alarm: String?
        init(title: String? = nil, live: String? = nil, alarm: String? = nil) {
            self.title = title; self.live = live; self.alarm = alarm
        }
    }

    static let programmeKeys = ["slot_grace", "ids_every", "silence", "hooks", "playout_log", "loudness", "crossfade"]
    static let silenceKeys = ["threshold", "after"]
    static let hookKeys = ["title", "live", "alarm"]

    static func readProgramme(
        _ top: ConfigReader.Section, reader: ConfigReader,
        environment: [String: String]
    ) throws(ConfigError) -> ProgrammeConfig {
        var programme = ProgrammeConfig()
        if let node = top.values["loudness"], ["false", "off", "no"].contains(node.scalar?.string.lowercased() ?? "") {
            programme.loudness = nil
        } else {
            programme.loudness = try reader.number(
                top, "loudness", default: -16, in: -70 ... -5,
                requirement: "a target in LUFS from -70 to -5 (e.g. -16), or false")
        }
        programme.loudnessCache = cacheFolder(environment).map { ($0 as NSString).appendingPathComponent("loudness.tsv") }
        programme.slotGrace = try reader.number(
            top, "slot_grace", default: 30, in: 0...3600,
            requirement: "a number of seconds from 0 to 3600")
        programme.crossfade = try reader.number(
            top, "crossfade", default: 0, in: 0...30,
            requirement: "a number of seconds from 0 (gapless) to 30")
        programme.idsEvery = try reader.number(
            top, "ids_every", default: 0, in: 0...86_400,
            requirement: "a number of seconds from 0 (no IDs) to 86400")
        let silence = try reader.subsection(top, "silence", keys: silenceKeys)
        programme.silenceThreshold = try reader.number(
            silence, "threshold", default: -50, in: -120...0,
            requirement: "a level in dBFS from -120 to 0, e.g. -50")
        programme.silenceAfter = try reader.number(
            silence, "after", default: 10, in: 1...3600,
            requirement: "a number of seconds from 1 to 3600")
        let hooks = try reader.subsection(top, "hooks", keys: hookKeys)
        for name in hookKeys where hooks.values[name] != nil {
            let command = try reader.string(hooks, name, default: "")
            switch name {
            case "title": programme.hooks.title = command
            case "live": programme.hooks.live = command
            default: programme.hooks.alarm = command
            }
        }
        if top.values["playout_log"] != nil {
            programme.playoutLog = try reader.path(top, "playout_log", default: "")
        }
        return programme
    }

    static func cacheFolder(_ environment: [String: String]) -> String? {
        if let folder = environment["CACHE_DIRECTORY"], !folder.isEmpty {
            return String(folder.split(separator: ":").first ?? "")
        }
        if let folder = environment["XDG_CACHE_HOME"], folder.hasPrefix("/") { return folder + "/onair" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.cache/onair" }
        return nil
    }
}

extension DaemonConfig.ProgrammeConfig {
    /// The schedule source's settings: `music`, and schedule.json from the site.
    func scheduleSettings(music: String, shuffle: Bool, scheduleFile: String) -> ScheduleSettings {
        var settings = ScheduleSettings(
            music: music, scheduleFile: scheduleFile, shuffle: shuffle, slotGrace: slotGrace,
            idsEvery: idsEvery, silenceThreshold: silenceThreshold, silenceAfter: silenceAfter,
            loudness: loudness, loudnessCache: loudnessCache)
        settings.crossfade = crossfade
        return settings
    }
}
