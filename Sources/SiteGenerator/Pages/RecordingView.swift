import Foundation
import StationKit

/// One recorded airing as the templates see it ("Listen again" on a show page and the home page).
/// Every text is escaped by the templates (`{{...}}`); titles come from tags and are untrusted.
struct RecordingView: Sendable {
    var show_title: String
    var show_url: String
    /// UTC, ISO 8601 (`<time datetime>`).
    var start: String
    /// `5 December 2026, 22:00` in the station's zone.
    var date_label: String
    var duration: Int
    /// `1:02:03` or `58:10`.
    var duration_label: String
    var dj: String?
    /// Site path of the audio (`/recordings/<show>/<file>`; nginx serves the folder).
    var url: String
    var mime: String
    var tracks: [RecordingTrackView]
    var has_tracks: Bool
}

/// One line of a recording's tracklist: the player seeks to `offset` when it is clicked.
struct RecordingTrackView: Sendable {
    var offset: Int
    var time_label: String
    var text: String
}

extension ViewBuilder {
    func recordingView(_ recording: RecordingsFolder.Recording) -> RecordingView {
        let sidecar = recording.sidecar
        let local = content.schedule.localDate(of: sidecar.start)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = content.timeZone
        let time = calendar.dateComponents([.hour, .minute], from: sidecar.start)
        let clock = Self.twoDigits(time.hour ?? 0) + ":" + Self.twoDigits(time.minute ?? 0)
        let duration = Int(sidecar.duration.rounded())
        let tracks = sidecar.tracks.map { track in
            RecordingTrackView(
                offset: Int(track.offset.rounded(.down)), time_label: Self.clock(Int(track.offset.rounded(.down))),
                text: TrackTitle.clean(track.text) ?? "")
        }
        return RecordingView(
            show_title: content.show(sidecar.show.slug)?.title ?? sidecar.show.title,
            show_url: "/shows/\(sidecar.show.slug)/", start: ISO8601.string(sidecar.start),
            date_label: strings.dateLabel(local) + ", " + clock, duration: duration,
            duration_label: Self.clock(duration), dj: sidecar.dj.flatMap(TrackTitle.clean), url: recording.url, mime: sidecar.format.mimeType,
            tracks: tracks, has_tracks: !tracks.isEmpty)
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// `58:10`, `1:02:03`.
    static func clock(_ seconds: Int) -> String {
        let s = max(0, seconds)
        return s >= 3600
            ? "\(s / 3600):\(twoDigits(s % 3600 / 60)):\(twoDigits(s % 60))" : "\(s / 60):\(twoDigits(s % 60))"
    }
}
