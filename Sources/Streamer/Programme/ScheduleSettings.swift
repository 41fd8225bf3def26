import Foundation

/// `source: { kind: schedule, music: DIR }` and the programme keys beside it in onaird.yaml.
struct ScheduleSettings: Sendable, Hashable {
    /// `DIR`: `<show-slug>/` per show, `rotation/` otherwise, `ids/` for station IDs.
    var music: String
    /// `site/schedule.json`, re-read when it changes.
    var scheduleFile: String
    /// Folder order: shuffled (each file once per round) or by name.
    var shuffle: Bool
    /// A new slot starts at the next track boundary, but at most this many seconds late (then the
    /// current track fades out).
    var slotGrace: Double
    /// Seconds between station IDs (0 = none).
    var idsEvery: Double
    /// Below this level (dBFS) a block counts as silent...
    var silenceThreshold: Double
    /// ...and a track silent for longer than this many seconds is skipped (with an alarm).
    var silenceAfter: Double
    /// Target loudness in LUFS (EBU R128) for every file; nil = no loudness normalisation.
    var loudness: Double?
    /// Where measurements are remembered (nil = in memory only).
    var loudnessCache: String?
    /// Seconds the end of a track overlaps the next one (0 = gapless); silence at either end is cut.
    var crossfade: Double = 0

    init(
        music: String, scheduleFile: String, shuffle: Bool = true, slotGrace: Double = 30, idsEvery: Double = 0,
        silenceThreshold: Double = -50, silenceAfter: Double = 10, loudness: Double? = nil, loudnessCache: String? = nil
    ) {
        self.music = music; self.scheduleFile = scheduleFile; self.shuffle = shuffle; self.slotGrace = slotGrace
        self.idsEvery = idsEvery; self.silenceThreshold = silenceThreshold; self.silenceAfter = silenceAfter
        self.loudness = loudness; self.loudnessCache = loudnessCache
    }
}
