import Foundation
import StationKit
import Testing

@testable import SiteGenerator

/// What a build does to the output folder: staged, minimal, deterministic, never the daemon's file.
@Suite struct PublishTests {
    @Test func siteIsLeftByteForByteOnError() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        try station.write("site/nowplaying.json", #"{"schema":1}"#)
        let before = try station.snapshot(station.site)
        try station.edit("Content/schedule.md", replacing: "| 16:00–18:00 |", with: "| 16:00–16:00 |")
        try station.edit("Content/shows/kiezbeats.md", replacing: "title: Kiezbeats", with: "title: Kiezbeats Reloaded")
        #expect(throws: ContentErrors.self) { try station.build() }
        let after = try station.snapshot(station.site)
        #expect(after.keys.sorted() == before.keys.sorted())
        for (path, (data, mtime)) in before {
            #expect(after[path]?.0 == data, "\(path) changed")
            #expect(after[path]?.1 == mtime, "\(path) was touched")
        }
        // No staging folder is left behind.
        let siblings = try FileManager.default.contentsOfDirectory(atPath: station.root.path)
        #expect(siblings.sorted() == ["Content", "Templates", "site"])
    }

    @Test func nowPlayingIsNeverTouched() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.write("site/nowplaying.json", #"{"schema":1,"online":true}"#)
        let url = station.site.appendingPathComponent("nowplaying.json")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: url.path)
        try station.build()
        try station.edit("Content/shows/kiezbeats.md", replacing: "title: Kiezbeats", with: "title: Kiezbeats Reloaded")
        try station.build()
        #expect(try station.read("site/nowplaying.json") == #"{"schema":1,"online":true}"#)
        let mtime = try url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate
        #expect(mtime == Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test func sameInputSameBytes() throws {
        let station = try TestStation(); defer { station.remove() }
        let other = station.root.appendingPathComponent("other")
        try station.build()
        try station.build(output: other)
        let a = try station.snapshot(station.site), b = try station.snapshot(other)
        #expect(a.keys.sorted() == b.keys.sorted())
        for (path, (data, _)) in a { #expect(b[path]?.0 == data, "\(path) differs between two builds") }
    }

    @Test func sameDayDifferentClockSameBytes() throws {
        let station = try TestStation(); defer { station.remove() }
        let other = station.root.appendingPathComponent("other")
        try station.build()
        let later = BuildOptions(
            contentURL: station.content, contentPath: "Content", templatesURL: station.templates,
            templatesPath: "Templates", outputURL: other, clock: TestStation.clock.addingTimeInterval(6 * 3600))
        try SiteBuilder(options: later).run()
        #expect(try station.read("site/schedule.json") == (try station.read("other/schedule.json")))
        #expect(try station.read("site/schedule.ics") == (try station.read("other/schedule.ics")))
    }

    @Test func unchangedFilesKeepTheirMtime() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        let old = Date(timeIntervalSince1970: 1_700_000_000)
        for path in try station.snapshot(station.site).keys {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: station.site.appendingPathComponent(path).path)
        }
        let second = try station.build()
        #expect(second.written == [])
        try station.edit("Content/news/2026-11-02-night-owls-on-fridays.md", replacing: "Sam will use", with: "Sam uses")
        let third = try station.build()
        #expect(third.written == ["feed.xml", "news/night-owls-on-fridays/index.html"])
        let after = try station.snapshot(station.site)
        #expect(after["index.html"]?.1 == old)
        #expect(after["feed.xml"]?.1 != old)
    }

    @Test func filesNoLongerBuiltAreRemovedButDotfilesAndHandPlacedFilesStay() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.write("site/.gitkeep", "")
        try station.write("Content/pages/old.md", "---\ntitle: Old\n---\nGone soon.\n")
        try station.build()
        #expect(FileManager.default.fileExists(atPath: station.site.appendingPathComponent("old/index.html").path))
        try station.write("site/verify-google.html", "google-site-verification")
        try FileManager.default.removeItem(at: station.content.appendingPathComponent("pages/old.md"))
        let summary = try station.build()
        #expect(summary.removed.contains("old/index.html"))
        let files = try station.snapshot(station.site).keys
        #expect(files.contains(".gitkeep"))
        #expect(files.contains("verify-google.html"))
        #expect(!files.contains("old/index.html"))
        #expect(!FileManager.default.fileExists(atPath: station.site.appendingPathComponent("old").path))
    }

    @Test func buildingIntoTheCheckoutItselfIsRefusedAndTouchesNothing() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.write("README.md", "# my station\n")
        let before = try station.snapshot(station.root)
        for output in [station.root, station.content, station.templates, station.templates.appendingPathComponent("assets/out")] {
            let errors: [String]
            do { try station.build(output: output); errors = [] } catch { errors = error.errors.map(\.description) }
            #expect(errors.count == 1)
            #expect(errors.first?.hasPrefix(output.path + ": error: refusing to build into") == true, "\(errors)")
        }
        let after = try station.snapshot(station.root)
        #expect(after.keys.sorted() == before.keys.sorted())
        for (path, (data, mtime)) in before {
            #expect(after[path]?.0 == data && after[path]?.1 == mtime, "\(path) was touched")
        }
    }

    @Test func aNonEmptyFolderNoBuildMadeIsRefused() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.write("documents/tax-2026.pdf", "%PDF")
        let output = station.root.appendingPathComponent("documents")
        let errors: [String]
        do { try station.build(output: output); errors = [] } catch { errors = error.errors.map(\.description) }
        #expect(
            errors == [
                "\(output.path): error: refusing to build into a folder that onair did not build (it holds 1 entry, e.g. tax-2026.pdf): a build would replace them; empty it or choose another --output"
            ])
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == ["tax-2026.pdf"])
        // An empty folder, or one holding only the daemon's file and .gitkeep, is fine.
        try station.write("fresh/nowplaying.json", "{}")
        try station.write("fresh/.gitkeep", "")
        try station.build(output: station.root.appendingPathComponent("fresh"))
    }

    @Test func aSiteFromBeforeTheListLosesNothingAndGetsAList() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        try FileManager.default.removeItem(at: station.site.appendingPathComponent(PublishedFiles.name))
        try station.write("site/old/page.html", "<p>old</p>")
        try station.build()
        #expect(try station.read("site/old/page.html") == "<p>old</p>")
        let list = try #require(PublishedFiles.read(in: station.site))
        #expect(list.paths.contains("index.html") && !list.paths.contains("old/page.html"))
    }

    @Test func aListNamingPathsOutsideTheSiteRemovesNothingThere() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        try station.write("secret.txt", "keep me")
        let listURL = station.site.appendingPathComponent(PublishedFiles.name)
        let text = try String(contentsOf: listURL, encoding: .utf8)
        try (text + "../secret.txt\n/etc/hostname\n.git/config\n").write(to: listURL, atomically: true, encoding: .utf8)
        try station.edit("Content/shows/kiezbeats.md", replacing: "title: Kiezbeats", with: "title: Kiezbeats Reloaded")
        try station.build()
        #expect(try station.read("secret.txt") == "keep me")
    }

    @Test func checkWritesNothing() throws {
        let station = try TestStation(); defer { station.remove() }
        let summary = try station.build(write: false)
        #expect(summary.files > 30)
        #expect(!FileManager.default.fileExists(atPath: station.site.path))
    }

    @Test func sourceDateEpochPinsNow() throws {
        let station = try TestStation(); defer { station.remove() }
        let now = try #require(ISO8601.date("2026-12-24T12:00:00Z"))
        let summary = try station.build(now: now)
        #expect(summary.now == now)
        let document = try ScheduleDocument.decode(Data(contentsOf: station.site.appendingPathComponent("schedule.json")))
        #expect(document.stationName == "Kanal Elbe")  // onaird names the station from here
        // Christmas Eve: the special replaces Thursday's Dockside Jazz.
        let evening = document.upcoming.filter { ISO8601.string($0.start).hasPrefix("2026-12-24T1") }
        #expect(evening.map(\.title) == ["Christmas Eve in the Archive"])
        #expect(document.upcoming.first.map { ISO8601.string($0.start) } == "2026-12-24T08:00:00Z")
    }
}
