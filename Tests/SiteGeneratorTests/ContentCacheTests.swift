import Foundation
import StationKit
import Testing

@testable import SiteGenerator

/// Pages' and posts' front matter is taken from the last build while their files keep their stamp
/// (size, modification and status-change times, inode); any other change reads the file again, and
/// the site is always the one a build from scratch writes.
@Suite struct ContentCacheTests {
    static let post = "Content/news/2026-11-20-winter-specials.md"

    func freshBuild(_ station: TestStation) throws -> [String: Data] {
        let other = station.root.appendingPathComponent("fresh")
        try station.build(output: other)
        return try station.snapshot(other).mapValues(\.0)
    }

    func fileInfo(_ station: TestStation, _ relative: String) -> stat {
        var info = stat()
        _ = stat(station.root.appendingPathComponent(relative).path, &info)
        return info
    }

    /// Sets a file's modification time back to `info`'s.
    func restoreModificationTime(_ station: TestStation, _ relative: String, from info: stat) {
        var times = [info.st_atim, info.st_mtim]
        _ = utimensat(AT_FDCWD, station.root.appendingPathComponent(relative).path, &times, 0)
    }

    @Test func everyPageAndPostIsCachedAfterABuild() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        let cache = ContentCache.read(for: station.site, contentURL: station.content)
        #expect(
            cache.entries.keys.sorted() == [
                "news/2026-11-02-night-owls-on-fridays.md", "news/2026-11-20-winter-specials.md",
                "pages/about.md",
            ])
        #expect(cache.entries[String(Self.post.dropFirst("Content/".count))]?.fields.title == "Winter specials on Kanal Elbe")
        // Another content folder does not read this one's entries.
        #expect(ContentCache.read(for: station.site, contentURL: station.root).entries.isEmpty)
    }

    @Test func aChangedTitleReachesThePostTheListsAndTheFeed() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        try station.edit(Self.post, replacing: "title: Winter specials", with: "title: Cold-weather specials")
        let summary = try station.build()
        #expect(summary.written.contains("feed.xml"))
        #expect(summary.written.contains("news/index.html"))
        #expect(try station.read("site/news/winter-specials/index.html").contains("Cold-weather specials on Kanal Elbe"))
        #expect(try station.read("site/news/index.html").contains("Cold-weather specials on Kanal Elbe"))
        #expect(try station.read("site/feed.xml").contains("<title>Cold-weather specials on Kanal Elbe</title>"))
        #expect(try !station.read("site/feed.xml").contains("Winter specials on Kanal Elbe"))
        #expect(try station.snapshot(station.site).mapValues(\.0) == (try freshBuild(station)))
    }

    @Test func aFileReplacedWithTheSameSizeAndModificationTimeIsReadAgain() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        let before = fileInfo(station, Self.post)
        // Same length, other bytes, the old modification time: only the inode tells.
        let text = try station.read(Self.post).replacingOccurrences(of: "title: Winter", with: "title: Summer")
        try station.write("replacement.md", text)
        restoreModificationTime(station, "replacement.md", from: before)
        #expect(
            rename(
                station.root.appendingPathComponent("replacement.md").path,
                station.root.appendingPathComponent(Self.post).path) == 0)
        let after = fileInfo(station, Self.post)
        #expect(
            after.st_size == before.st_size && after.st_mtim.tv_sec == before.st_mtim.tv_sec
                && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec && after.st_ino != before.st_ino)
        try station.build()
        #expect(try station.read("site/news/winter-specials/index.html").contains("Summer specials on Kanal Elbe"))
        #expect(try station.snapshot(station.site).mapValues(\.0) == (try freshBuild(station)))
    }

    @Test func aFileRewrittenInPlaceWithItsOldModificationTimeIsReadAgain() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        let before = fileInfo(station, Self.post)
        let text = try station.read(Self.post).replacingOccurrences(of: "title: Winter", with: "title: Autumn")
        let handle = try FileHandle(forWritingTo: station.root.appendingPathComponent(Self.post))
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
        restoreModificationTime(station, Self.post, from: before)
        let after = fileInfo(station, Self.post)
        #expect(after.st_size == before.st_size && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec && after.st_ino == before.st_ino)
        try station.build()
        #expect(try station.read("site/news/winter-specials/index.html").contains("Autumn specials on Kanal Elbe"))
        #expect(try station.snapshot(station.site).mapValues(\.0) == (try freshBuild(station)))
    }

    @Test func cachedPostsAreRenderedFromTheirFilesWhenTheSiteGrows() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        // A new page changes the link universe: every body renders again, the cached ones read from their files.
        try station.write("Content/pages/contact.md", "---\ntitle: Contact\n---\nWrite to [the studio](/about/).\n")
        let summary = try station.build()
        #expect(summary.rendered.contains("news/winter-specials/index.html"))
        #expect(try station.read("site/news/winter-specials/index.html").contains("<strong>24 December, 18:00–22:00</strong>"))
        #expect(try station.snapshot(station.site).mapValues(\.0) == (try freshBuild(station)))
    }

    @Test func aFrontMatterErrorIsReportedOnEveryBuildUntilFixed() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        try station.edit(Self.post, replacing: "author: Jana Petersen", with: "author: [Jana, Petersen]")
        let expected = ["Content/news/2026-11-20-winter-specials.md:4: error: 'author' must be text, not a list or a mapping"]
        #expect(station.errors() == expected)
        #expect(station.errors() == expected)
        try station.edit(Self.post, replacing: "author: [Jana, Petersen]", with: "author: Jana Petersen")
        try station.build()
        #expect(try station.snapshot(station.site).mapValues(\.0) == (try freshBuild(station)))
    }

    @Test func aMissingImageIsReportedOnTheImageLineFromTheCacheToo() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.write("Content/images/winter.png", "png")
        try station.edit(Self.post, replacing: "author: Jana Petersen", with: "author: Jana Petersen\nimage: images/winter.png")
        try station.build()
        try FileManager.default.removeItem(at: station.content.appendingPathComponent("images/winter.png"))
        #expect(
            station.errors() == ["Content/news/2026-11-20-winter-specials.md:5: error: 'image' points to images/winter.png, which does not exist"])
    }

    /// Post pages are keyed by their own fields and the site-wide part of their context: a page's
    /// title is in every page's navigation, so every post renders again.
    @Test func aPageTitleInTheNavigationRendersEveryPostAgain() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        let text = try station.read("Content/pages/about.md")
        let title = try #require(text.split(separator: "\n").first { $0.hasPrefix("title: ") })
        try station.edit("Content/pages/about.md", replacing: String(title), with: "title: Who we are")
        let summary = try station.build()
        #expect(summary.rendered.contains("news/winter-specials/index.html"))
        #expect(summary.rendered.contains("news/night-owls-on-fridays/index.html"))
        #expect(try station.read("site/news/winter-specials/index.html").contains("Who we are"))
        #expect(try station.snapshot(station.site).mapValues(\.0) == (try freshBuild(station)))
    }

    @Test func anUnchangedPostIsNotRenderedAgain() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        try station.edit(Self.post, replacing: "Two specials", with: "Two special shows")
        let summary = try station.build()
        #expect(summary.rendered.contains("news/winter-specials/index.html"))
        #expect(!summary.rendered.contains("news/night-owls-on-fridays/index.html"))
    }

    /// Unchanged feed items are copied from the published feed.xml; a feed edited since is not used.
    @Test func feedItemsAreCopiedOnlyFromTheFeedAsPublished() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        let (_, items) = try #require(FeedIndex.published(in: station.site))
        #expect(items.count == 2)
        try station.edit(Self.post, replacing: "Two specials", with: "Two special shows")
        try station.build()
        #expect(try station.read("site/feed.xml").contains("Two special shows"))
        #expect(try station.snapshot(station.site).mapValues(\.0) == (try freshBuild(station)))

        // By hand: the other post's item is garbled; the next build must not copy from it.
        try station.edit("site/feed.xml", replacing: "<title>Night", with: "<title>Garbled")
        #expect(FeedIndex.published(in: station.site) == nil)
        try station.edit(Self.post, replacing: "Two special shows", with: "Two specials")
        try station.build()
        #expect(try !station.read("site/feed.xml").contains("Garbled"))
        #expect(try station.snapshot(station.site).mapValues(\.0) == (try freshBuild(station)))
    }
}
