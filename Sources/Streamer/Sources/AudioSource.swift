import StationKit

/// A block of interleaved float samples (-1...1) in `format`; `track` marks the start of a new title.
struct AudioChunk {
    var samples: [Float]
    var format: AudioFormat
    var track: TrackInfo?

    var frames: Int { format.channels > 0 ? samples.count / format.channels : 0 }
}

/// A title and, when known, how long it lasts and the show it was chosen for (the schedule's
/// programme: the recorder keeps a `record: false` show's last track out of the next airing).
struct TrackInfo: Equatable {
    var title: TrackTitle
    var duration: Double?
    var show: String? = nil
}

/// Where audio comes from. Called only from the engine's thread.
protocol AudioSource: AnyObject {
    /// True when reading blocks on a device clock (ALSA): the engine must not pace on top of it.
    var isDeviceClocked: Bool { get }
    /// The next block of audio. Never busy-loops: a source with nothing to play returns silence.
    func nextChunk() -> AudioChunk
    /// Ends the current track at once (playlist); others ignore it.
    func skip()
    /// Re-reads the playlist (SIGHUP).
    func reload()
    /// Releases devices and files.
    func close()
}

extension AudioSource {
    func skip() {}
    func reload() {}
    func close() {}
}
