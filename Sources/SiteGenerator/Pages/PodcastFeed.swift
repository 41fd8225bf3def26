import Foundation
import StationKit

/// `/shows/<slug>/podcast.xml`: a show's recorded airings as RSS 2.0 with the iTunes namespace.
/// Enclosures point at nginx's `/recordings/` with the file's exact size; an item's guid is made
/// of the show and the airing's start, so it never changes. Every text is escaped (titles come
/// from tags and DJs), and control characters XML cannot carry are dropped.
struct PodcastFeed: Sendable {
    var profile: StationProfile
    var show: Show
    /// Newest first.
    var recordings: [RecordingsFolder.Recording]
    /// Site path of the cover (`PodcastArt`): a square PNG or JPEG; nil: no image.
    var cover: String?

    static func path(of show: Show) -> String { show.url + "podcast.xml" }

    func render() -> String {
        let e = Self.escape
        let formatter = RSSFeed.rfc822Formatter()
        let zone = TimeZone(identifier: profile.timezone) ?? TimeZone(identifier: "UTC") ?? .current
        let link = profile.absoluteURL(show.url)
        let image = cover.map(profile.absoluteURL)
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:atom="http://www.w3.org/2005/Atom">
            <channel>
              <title>\(e(show.title)) – \(e(profile.name))</title>
              <link>\(e(link))</link>
              <description>\(e(show.description.isEmpty ? show.title : show.description))</description>
              <language>\(e(profile.language))</language>
              <atom:link href="\(e(profile.absoluteURL(Self.path(of: show))))" rel="self" type="application/rss+xml"/>
              <generator>OnAir</generator>
              <itunes:author>\(e(show.host ?? profile.name))</itunes:author>
              <itunes:summary>\(e(show.description))</itunes:summary>
              <itunes:explicit>false</itunes:explicit>

            """
        if let image {
            xml += "  <itunes:image href=\"\(e(image))\"/>\n"
            xml += "  <image><url>\(e(image))</url><title>\(e(show.title))</title><link>\(e(link))</link></image>\n"
        }
        if let newest = recordings.first {
            xml += "  <lastBuildDate>\(formatter.string(from: newest.sidecar.end))</lastBuildDate>\n"
        }
        for recording in recordings {
            let sidecar = recording.sidecar
            let title = "\(show.title) – \(Self.stationTime(sidecar.start, zone: zone))" + (sidecar.part > 1 ? " (part \(sidecar.part))" : "")
            let tracklist = sidecar.tracks.map { "\(ViewBuilder.clock(Int($0.offset))) \(TrackTitle.clean($0.text) ?? "")" }.joined(separator: "\n")
            let summary = [sidecar.dj.map { "With \($0)." }, tracklist.isEmpty ? nil : tracklist].compactMap { $0 }.joined(separator: "\n")
            xml += """
                  <item>
                    <title>\(e(title))</title>
                    <link>\(e(link))</link>
                    <guid isPermaLink="false">\(e(Self.guid(sidecar, base: profile.baseURL)))</guid>
                    <pubDate>\(formatter.string(from: sidecar.start))</pubDate>
                    <description>\(e(summary.isEmpty ? show.title : summary))</description>
                    <enclosure url="\(e(profile.absoluteURL(recording.url)))" length="\(recording.bytes)" type="\(sidecar.format.mimeType)"/>
                    <itunes:duration>\(Int(sidecar.duration.rounded()))</itunes:duration>

                """
            if let dj = sidecar.dj { xml += "    <itunes:author>\(e(dj))</itunes:author>\n" }
            xml += "    </item>\n"
        }
        xml += "</channel>\n</rss>\n"
        return xml
    }

    /// `<base>/shows/<slug>/#2026-12-05T21:00:00Z` (part 2 and on: `-2`...): stable across builds.
    static func guid(_ sidecar: RecordingSidecar, base: String) -> String {
        "\(base)/shows/\(sidecar.show.slug)/#\(ISO8601.string(sidecar.start))" + (sidecar.part > 1 ? "-\(sidecar.part)" : "")
    }

    /// `2026-12-05 22:00` in the station's zone.
    static func stationTime(_ date: Date, zone: TimeZone) -> String {
        let name = RecordingName.base(start: date, timeZone: zone)
        let parts = name.split(separator: "-")
        guard parts.count >= 4 else { return name }
        return "\(parts[0])-\(parts[1])-\(parts[2]) \(parts[3].prefix(2)):\(parts[3].dropFirst(2))"
    }

    /// XML text: escaped, without the control characters XML 1.0 forbids.
    static func escape(_ text: String) -> String {
        let allowed = String(
            String.UnicodeScalarView(
                text.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\t" || $0 == "\n" || $0 == "\r" }
                    .filter { !(0xFFFE...0xFFFF).contains($0.value) && !(0xD800...0xDFFF).contains($0.value) }))
        return Escaping.xml(allowed)
    }
}
