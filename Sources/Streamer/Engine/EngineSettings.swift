import Foundation
import StationKit

// The audio engine's inputs. The daemon's config loader (Streamer/Config) turns onaird.yaml into
// these; the engine never reads files or the environment for them itself.

struct AudioFormat: Sendable, Hashable {
    var sampleRate: Int
    var channels: Int
    init(sampleRate: Int = 44_100, channels: Int = 2) { self.sampleRate = sampleRate; self.channels = channels }
}

enum SourceSettings: Sendable, Hashable {
    /// A sine test signal; a new title every `titleEvery` seconds (0 = one fixed title).
    case tone(frequency: Double, titleEvery: Double)
    /// A folder or .m3u of audio files.
    case playlist(path: String, shuffle: Bool)
    /// Capture from an ALSA device, paced by the device's clock.
    case alsa(device: String)
    /// The show on air by schedule.json plays its folder; rotation, IDs and fallbacks around it.
    case schedule(ScheduleSettings)

    /// `source.kind` in onaird.yaml.
    enum Kind: String, Sendable, CaseIterable { case schedule, playlist, alsa, tone }

    var kind: Kind {
        switch self {
        case .tone: .tone
        case .playlist: .playlist
        case .alsa: .alsa
        case .schedule: .schedule
        }
    }

    /// `tone 440 Hz`, `playlist /srv/music`, `alsa hw:1`, `schedule /srv/onair/music`: for logs and `onair status`.
    var summary: String {
        switch self {
        case .tone(let frequency, _): "tone \(Self.hertz(frequency)) Hz"
        case .playlist(let path, _): "playlist \(path)"
        case .alsa(let device): "alsa \(device)"
        case .schedule(let schedule): "schedule \(schedule.music)"
        }
    }

    /// `440`, `440.5`: a tone's frequency as the logs and the tone's title write it.
    static func hertz(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// An output's codec, parsed once from `outputs[].format`.
enum OutputFormat: String, Sendable, Hashable, CaseIterable {
    /// Ogg Vorbis (libvorbis).
    case vorbis
    /// MP3 (LAME), titles as ICY metadata.
    case mp3
    /// Ogg Opus (libopusenc).
    case opus

    /// The encoding library, for error messages.
    var library: String {
        switch self {
        case .vorbis: "libvorbis"
        case .mp3: "LAME"
        case .opus: "libopus"
        }
    }

    /// Titles travel in the stream itself (a chained Ogg stream) rather than as ICY metadata.
    var isOgg: Bool { self != .mp3 }
}

struct OutputSettings: Sendable, Hashable {
    var mount: String
    var format: OutputFormat
    /// Vorbis: quality on the -0.1...1.0 scale (oggenc's -q / 10). MP3: VBR quality as lame -V (0...9).
    /// Opus: unused. Nil when bitrate is set.
    var quality: Double?
    /// kbit/s: Vorbis managed mode, MP3 CBR (128 by default), Opus target bitrate; nil when quality is set.
    var bitrate: Int?
    init(mount: String, format: OutputFormat = .vorbis, quality: Double? = 4, bitrate: Int? = nil) {
        self.mount = mount; self.format = format; self.quality = quality; self.bitrate = bitrate
    }
}

struct IcecastSettings: Sendable, Hashable {
    var host: String
    var port: Int
    var user: String
    /// Kept out of every description, log line and error.
    var password: String
    /// Shown in Icecast's status (`server_name`, `server_description`, `genre`, `server_url`).
    var stationName: String
    var stationDescription: String
    var stationURL: String
    init(
        host: String, port: Int, user: String, password: String, stationName: String = "OnAir",
        stationDescription: String = "", stationURL: String = ""
    ) {
        self.host = host; self.port = port; self.user = user; self.password = password
        self.stationName = stationName; self.stationDescription = stationDescription; self.stationURL = stationURL
    }
}

struct EngineSettings: Sendable, Hashable {
    var audio: AudioFormat
    var source: SourceSettings
    var outputs: [OutputSettings]
    var icecast: IcecastSettings
    /// `record:` (nil: nothing is recorded).
    var recording: RecordingSettings?
    /// The DJ mount onaird listens to (`live:`); nil: no live input.
    var live: LiveSettings?
    init(
        audio: AudioFormat, source: SourceSettings, outputs: [OutputSettings], icecast: IcecastSettings,
        recording: RecordingSettings? = nil, live: LiveSettings? = nil
    ) {
        self.audio = audio; self.source = source; self.outputs = outputs; self.icecast = icecast
        self.recording = recording; self.live = live
    }
}

/// What the engine tells the daemon. Delivered on the engine's thread: handlers must be quick.
enum EngineEvent: Sendable, Equatable {
    /// A new title is on air (next track, tone title change; not `setTitle`, whose caller already
    /// knows). `duration` when known.
    case titleChanged(text: String, artist: String?, title: String?, duration: Double?)
    case outputConnected(mount: String)
    /// `reason` is a full sentence without secrets, e.g. "connecting to 127.0.0.1:8000/radio.ogg: ..."
    case outputDisconnected(mount: String, reason: String)
    /// A file was skipped (unreadable, corrupt, unsupported); `reason` says why.
    case trackSkipped(path: String, reason: String)
    /// A programme item started (schedule source): `entry` without `seconds` and `listeners`.
    case itemStarted(id: Int, entry: PlayoutEntry)
    /// The item `id` ended after `seconds` on air.
    case itemEnded(id: Int, seconds: Double)
    /// Something an operator should know at once (silence skipped, a folder fell back).
    case alarm(reason: AlarmReason, detail: String)
    /// A DJ on the live mount is on every output now (`streamer`: their stream name); `title` is
    /// what went on air with them, so that nowplaying.json changes both at once.
    case liveStarted(streamer: String?, title: TrackTitle? = nil)
    /// The programme is back; `reason` says why (the DJ left, stalled, went silent); `title` is the
    /// programme's, back on air with it.
    case liveEnded(reason: String, title: TrackTitle? = nil)
}

/// A snapshot for `onair status`.
struct EngineStatus: Sendable, Equatable {
    var source: String
    var title: String?
    var connectedMounts: [String]
    var startedAt: Date?
    /// The schedule source's programme (nil for other sources).
    var programme: ProgrammeStatus?
    init(source: String, title: String?, connectedMounts: [String], startedAt: Date?, programme: ProgrammeStatus? = nil) {
        self.source = source; self.title = title; self.connectedMounts = connectedMounts; self.startedAt = startedAt
        self.programme = programme
    }
}
