import Foundation
import StationKit

/// "Listen again": the recordings on the show pages and the home page, and each show's podcast feed.
extension SiteRenderer {
    /// How many of the latest airings the home page lists.
    static let latestRecordings = 6

    /// The shows that get a podcast feed: all of them, when a recordings folder is set, but those
    /// never recorded (`record: false`).
    var podcastShows: [Show] { Self.podcastShows(of: content) }

    static func podcastShows(of content: StationContent) -> [Show] {
        guard content.recordings != nil else { return [] }
        return content.shows.filter(\.record)
    }

    /// Site paths of the podcast feeds (known before rendering, for link checking).
    var podcastPaths: [String] { podcastShows.map(PodcastFeed.path(of:)) }

    /// The show's page view with its recordings and feed.
    func withRecordings(_ view: ShowView, _ views: ViewBuilder) -> ShowView {
        guard let show = content.show(view.slug), show.record, let folder = content.recordings else { return view }
        var view = view
        view.recordings = (folder.byShow[show.slug] ?? []).map(views.recordingView)
        view.has_recordings = !view.recordings.isEmpty
        view.podcast_url = PodcastFeed.path(of: show)
        return view
    }

    /// The home page's latest airings of shows that are recorded.
    func latestRecordings(_ views: ViewBuilder) -> [RecordingView] {
        guard let folder = content.recordings else { return [] }
        let recorded = Set(content.shows.filter(\.record).map(\.slug))
        return folder.all.filter { recorded.contains($0.sidecar.show.slug) }.prefix(Self.latestRecordings).map(views.recordingView)
    }

    /// Every podcast feed into `output`.
    func renderPodcasts(into output: any SiteOutput) {
        guard let folder = content.recordings else { return }
        for show in podcastShows {
            let feed = PodcastFeed(
                profile: content.profile, show: show, recordings: folder.byShow[show.slug] ?? [], cover: podcastCovers[show.slug]?.path)
            output.put(String(PodcastFeed.path(of: show).dropFirst()), Data(feed.render().utf8))
        }
    }
}
