import Foundation
import StationKit

/// One thing the programme decided to play: a file from a show's folder, the rotation or the IDs.
struct ProgrammeItem: Equatable, Sendable {
    var kind: PlayoutEntry.Kind
    /// Absolute path of the file.
    var path: String
    /// Relative to the music folder: `night-owls/song.ogg`, `rotation/x.wav`, `ids/id1.wav`.
    var file: String
    /// The folder it came from: a show's slug, `rotation` or `ids`.
    var folder: String
    /// The show on air by the schedule when it starts (its slug), or `rotation` between shows.
    var show: String
}

/// What the programme is doing, for `onair status` (a snapshot; the audio thread writes it).
struct ProgrammeStatus: Sendable, Equatable {
    /// The show on air by the schedule (slug), nil between shows.
    var show: String?
    var showTitle: String?
    /// The folder playing now, relative to the music folder (`night-owls`, `rotation`, `ids`, or `tone`).
    var folder: String
    /// A `live: true` show is on and no DJ is connected.
    var waitingForDJ: Bool
    /// The next (up to) three files, relative to the music folder.
    var next: [String]
    /// The next station ID and when it is due (at the first track boundary after that instant).
    var nextID: String?
    var nextIDAt: Date?

    init(
        show: String? = nil, showTitle: String? = nil, folder: String = "", waitingForDJ: Bool = false,
        next: [String] = [], nextID: String? = nil, nextIDAt: Date? = nil
    ) {
        self.show = show; self.showTitle = showTitle; self.folder = folder; self.waitingForDJ = waitingForDJ
        self.next = next; self.nextID = nextID; self.nextIDAt = nextIDAt
    }
}

/// Why onaird raises an alarm (the `alarm` hook's `reason`).
enum AlarmReason: String, Sendable, Equatable {
    case silence, fallback, recording
    case icecastDown = "icecast_down"
}

extension ControlStatus.Programme {
    init(_ status: ProgrammeStatus) {
        self.init(
            show: status.show, showTitle: status.showTitle, folder: status.folder, waitingForDJ: status.waitingForDJ,
            next: status.next, nextID: status.nextID, nextIDAt: status.nextIDAt)
    }
}
