import Foundation
import StationKit
import Testing

@testable import SiteGenerator

/// `onair build --recordings`: Listen again, the podcast feeds, warnings for broken sidecars, and
/// the incremental build (only what shows a recording is rewritten).
@Suite struct RecordingsBuildTests {
    func sidecar(_ show: String, _ start: String, title: String = "Night Owls", tracks: [RecordingSidecar.Track] = [])
        throws -> RecordingSidecar
    {
        try TestStation.sidecar(show, start, title: title, tracks: tracks)
    }

    func add(_ sidecar: RecordingSidecar, to station: TestStation, bytes: Int = 1234) throws {
        try station.addRecording(sidecar, bytes: bytes)
    }

    func build(_ station: TestStation) throws -> (SiteBuilder.Summary, [String]) { try station.buildWithRecordings() }

    @Test func theShowPageHomeAndPodcastListTheRecordingEscaped() throws {
        let station = try TestStation()
        defer { station.remove() }
        try add(
            sidecar(
                "night-owls", "2026-11-20T21:00:00Z",
                tracks: [.init(offset: 0, text: "A & B - <b>x</b>"), .init(offset: 95.7, text: "Q\u{1}\"uote\"")]),
            to: station)
        let (_, log) = try build(station)
        #expect(!log.contains { $0.contains("warning") })
        let page = try station.read("site/shows/night-owls/index.html")
        #expect(page.contains(#"<audio class="recording-player" controls preload="none" src="/recordings/night-owls/2026-11-20-2200.opus"></audio>"#))
        #expect(
            page.contains(#"<button type="button" class="seek" data-offset="95">1:35</button> <span class="track-text">Q &quot;uote&quot;</span>"#))
        #expect(page.contains("A &amp; B - &lt;b&gt;x&lt;/b&gt;") && !page.contains("<b>x</b>"))
        #expect(page.contains("1:02:03") && page.contains("Sam &lt;script&gt;"))
        #expect(page.contains(#"href="/shows/night-owls/podcast.xml""#))
        #expect(try station.read("site/index.html").contains("/recordings/night-owls/2026-11-20-2200.opus"))

        let feed = try station.read("site/shows/night-owls/podcast.xml")
        #expect(feed.contains(#"xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd""#))
        #expect(
            feed.contains(
                #"<enclosure url="https://kanal-elbe.example/recordings/night-owls/2026-11-20-2200.opus" length="1234" type="audio/ogg"/>"#))
        #expect(feed.contains("<guid isPermaLink=\"false\">https://kanal-elbe.example/shows/night-owls/#2026-11-20T21:00:00Z</guid>"))
        #expect(feed.contains("<pubDate>Fri, 20 Nov 2026 21:00:00 GMT</pubDate>"))
        #expect(feed.contains("<itunes:duration>3723</itunes:duration>"))
        #expect(feed.contains("1:35 Q &quot;uote&quot;") && !feed.contains("\u{1}"))
        #expect(feed.contains("A &amp; B - &lt;b&gt;x&lt;/b&gt;") && !feed.contains("<b>"))
        // Every show gets a feed; the audio itself is never copied into the site.
        #expect(FileManager.default.fileExists(atPath: station.site.path + "/shows/morning-tide/podcast.xml"))
        #expect(!FileManager.default.fileExists(atPath: station.site.path + "/recordings"))
    }

    @Test func aNewRecordingRewritesOnlyItsShowItsPodcastAndTheHomePage() throws {
        let station = try TestStation()
        defer { station.remove() }
        try add(sidecar("night-owls", "2026-11-20T21:00:00Z"), to: station)
        _ = try build(station)
        let (unchanged, log) = try build(station)
        #expect(unchanged.written.isEmpty)
        #expect(log.contains { $0.contains("nothing changed since the last build") })

        try add(sidecar("night-owls", "2026-11-21T21:00:00Z"), to: station)
        let (summary, _) = try build(station)
        #expect(summary.written.sorted() == ["index.html", "shows/night-owls/index.html", "shows/night-owls/podcast.xml"])
        #expect(try station.read("site/shows/night-owls/podcast.xml").components(separatedBy: "<item>").count == 3)
    }

    @Test func brokenRecordingsAreSkippedWithAWarning() throws {
        let station = try TestStation()
        defer { station.remove() }
        try add(sidecar("night-owls", "2026-11-20T21:00:00Z"), to: station)
        try station.write("rec/night-owls/2026-11-21-2200.json", "{ half written")
        var orphan = try sidecar("night-owls", "2026-11-22T21:00:00Z")
        try station.write("rec/night-owls/2026-11-22-2200.json", String(decoding: try orphan.encoded(), as: UTF8.self))
        orphan = try sidecar("morning-tide", "2026-11-23T06:00:00Z")
        try station.write("rec/night-owls/2026-11-23-0700.json", String(decoding: try orphan.encoded(), as: UTF8.self))
        try station.write("rec/night-owls/.2026-11-24-2200.json.part", "{")
        let (_, log) = try build(station)
        let rec = station.root.appendingPathComponent("rec").path
        #expect(
            log.filter { $0.contains("warning") } == [
                "\(rec)/night-owls/2026-11-21-2200.json: warning: not a recording sidecar (not valid JSON); recording skipped",
                "\(rec)/night-owls/2026-11-22-2200.json: warning: its audio 2026-11-22-2200.opus is missing or empty; recording skipped",
                "\(rec)/night-owls/2026-11-23-0700.json: warning: its show 'morning-tide' is not the folder's 'night-owls'; recording skipped",
            ])
        #expect(try station.read("site/shows/night-owls/podcast.xml").components(separatedBy: "<item>").count == 2)
    }

    @Test func aShowWithRecordFalseHasNoFeedAndIsMarkedInScheduleJSON() throws {
        let station = try TestStation()
        defer { station.remove() }
        let file = station.content.appendingPathComponent("shows/night-owls.md")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "title:", with: "record: false\ntitle:").write(to: file, atomically: true, encoding: .utf8)
        try add(sidecar("night-owls", "2026-11-20T21:00:00Z"), to: station)
        _ = try build(station)
        #expect(!FileManager.default.fileExists(atPath: station.site.path + "/shows/night-owls/podcast.xml"))
        #expect(!(try station.read("site/shows/night-owls/index.html")).contains("/recordings/"))
        #expect(!(try station.read("site/index.html")).contains("/recordings/"))
        let schedule = try ScheduleDocument.decode(Data(contentsOf: station.site.appendingPathComponent("schedule.json")))
        #expect(schedule.shows["night-owls"]?.record == false && schedule.shows["morning-tide"]?.record == true)
        #expect(!(try station.read("site/schedule.json")).contains("\"record\" : true"))
    }
}

@Suite struct RecordingsFolderOptionTests {
    @Test(arguments: [
        ("recordings: ../rec\n", "/x/rec"), ("recordings: \"/srv/r\"   # onaird's record.dir\n", "/srv/r"),
        ("name: A\n", nil), ("recordings:\n", nil),
    ])
    func stationYAMLNamesTheFolderUnlessTheFlagDoes(yaml: String, expected: String?) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("onair-rec-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let content = root.appendingPathComponent("x/Content")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        try Data(yaml.utf8).write(to: content.appendingPathComponent("station.yaml"))
        var options = BuildOptions(
            contentURL: content, contentPath: "Content", templatesURL: root, templatesPath: "T", outputURL: root)
        #expect(options.recordingsFolder?.path == expected.map { $0.hasPrefix("/x") ? root.path + $0 : $0 })
        options.recordingsURL = URL(fileURLWithPath: "/flag")
        #expect(options.recordingsFolder?.path == "/flag")
    }
}
