import Foundation
import StationKit
import Testing

@testable import SiteGenerator

/// A rebuild renders again exactly the pages whose inputs changed, and the result is the same
/// site a build from scratch writes.
@Suite struct IncrementalBuildTests {
    static let allPages = [
        "404.html", "about/index.html", "index.html", "news/index.html",
        "news/night-owls-on-fridays/index.html", "news/winter-specials/index.html",
        "schedule/index.html", "shows/index.html",
    ]

    /// Every file of a fresh build of the same station into another folder, by path.
    func freshBuild(_ station: TestStation) throws -> [String: Data] {
        let other = station.root.appendingPathComponent("fresh")
        try station.build(output: other)
        return try station.snapshot(other).mapValues(\.0)
    }

    @Test func aChangedPostRendersItsPageAndTheListsThatCarryIt() throws {
        let station = try TestStation(); defer { station.remove() }
        let first = try station.build()
        #expect(Set(Self.allPages).isSubset(of: Set(first.rendered)))

        try station.edit("Content/news/2026-11-02-night-owls-on-fridays.md", replacing: "\n---\n", with: "\n---\nA new first line.\n\n")
        let second = try station.build()
        // The post's page, and the news list (its context holds every post's body); the home page
        // lists only the newest posts... which include this one in the example station.
        #expect(second.rendered == ["index.html", "news/index.html", "news/night-owls-on-fridays/index.html"])
        #expect(second.written == ["feed.xml", "news/night-owls-on-fridays/index.html"])
        #expect(try station.read("site/news/night-owls-on-fridays/index.html").contains("A new first line."))
        let site = try station.snapshot(station.site).mapValues(\.0)
        #expect(site == (try freshBuild(station)))
    }

    @Test(arguments: [
        ("Templates/partials/share.mustache", "\n", "\n{{! a comment changes no byte }}\n"),
        ("Content/station.yaml", "name: ", "name: New "),
    ])
    func aChangedTemplateOrProfileRendersEveryPage(file: String, old: String, new: String) throws {
        let station = try TestStation(); defer { station.remove() }
        let first = try station.build()
        try station.edit(file, replacing: old, with: new)
        let second = try station.build()
        #expect(second.rendered == first.rendered)
        let site = try station.snapshot(station.site).mapValues(\.0)
        #expect(site == (try freshBuild(station)))
    }

    @Test func aPublishedPageEditedByHandIsRenderedAgain() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        let original = try station.read("site/about/index.html")
        try station.write("site/about/index.html", "edited by hand")
        try station.edit("Content/news/2026-11-20-winter-specials.md", replacing: "\n---\n", with: "\n---\nMore.\n\n")
        let summary = try station.build()
        #expect(summary.rendered.contains("about/index.html"))
        #expect(try station.read("site/about/index.html") == original)
    }

    @Test func aBrokenLinkFoundAfterStagingLeavesTheSiteAndNoStagingFolder() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        let before = try station.snapshot(station.site)
        try station.edit("Templates/post.mustache", replacing: "<h1>", with: "<a href=\"/nowhere/\">x</a><h1>")
        try station.edit("Content/station.yaml", replacing: "name: ", with: "name: New ")
        let errors = station.errors()
        #expect(
            errors == [
                "Templates/post.mustache:4: error: broken internal link '/nowhere/' (on /news/night-owls-on-fridays/index.html and 1 more pages; the site has no such file)"
            ])
        let after = try station.snapshot(station.site)
        #expect(after.keys.sorted() == before.keys.sorted())
        for (path, (data, mtime)) in before {
            #expect(after[path]?.0 == data && after[path]?.1 == mtime, "\(path) changed")
        }
        let siblings = try FileManager.default.contentsOfDirectory(atPath: station.root.path)
        #expect(siblings.sorted() == ["Content", "Templates", "site"])
    }

    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    }

    /// The manifest's fingerprint of the published files comes from the stamps the build recorded;
    /// it must equal a walk over the site, or the no-change fast path would never be taken.
    @Test func aSecondBuildWithNothingChangedTakesTheFastPath() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        #expect(BuildManifest.read(from: station.site)?.outputs == BuildManifest.outputs(station.site))
        let lines = Lines()
        let summary = try SiteBuilder(options: station.options(), log: lines.append).run()
        #expect(summary.written.isEmpty)
        #expect(lines.all.last?.hasSuffix("(nothing changed since the last build)") == true)
    }

    @Test func everyFieldOfTheContextIsInThePageKey() {
        func key(_ context: PageContext) -> UInt64 { var hash = Fingerprint(); context.fingerprint(into: &hash); return hash.value }
        let base = CompiledTemplatesTests.context
        var changes: [PageContext] = []
        var a = base; a.post?.body_html += " "; changes.append(a)
        var b = base; b.nav[1].current.toggle(); changes.append(b)
        var c = base; c.station.social[0].url = "https://x.com/other"; changes.append(c)
        var d = base; d.show?.next_airing?.date_label = nil; changes.append(d)
        var e = base; e.first_stream?.bitrate = nil; changes.append(e)
        var f = base; f.shows.removeLast(); changes.append(f)
        var g = base; g.post?.author = ""; changes.append(g)
        for changed in changes { #expect(key(changed) != key(base)) }
        #expect(key(base) == key(CompiledTemplatesTests.context))
    }

    /// Every stored property of every view in a page's context (found by reflection, as the
    /// template test does) is named in its type's fingerprint: a field added to a view but not to
    /// `PageContext+Fingerprint.swift` would let a rebuild keep a stale page.
    @Test func everyStoredPropertyOfEveryViewIsNamedInItsFingerprint() throws {
        var fields: [String: Set<String>] = [:]
        func collect(_ value: Any) {
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .optional, .collection, .set:
                for child in mirror.children { collect(child.value) }
            case .struct:
                let type = String(describing: mirror.subjectType)
                for child in mirror.children {
                    guard let label = child.label else { continue }
                    fields[type, default: []].insert(label)
                    collect(child.value)
                }
            default: break
            }
        }
        collect(CompiledTemplatesTests.context)
        let source = try String(
            contentsOf: TestStation.repository.appendingPathComponent("Sources/SiteGenerator/Incremental/PageContext+Fingerprint.swift"),
            encoding: .utf8)
        #expect(fields.count >= 10, "\(fields.keys.sorted())")
        for (type, labels) in fields {
            guard let start = source.range(of: "extension \(type): Fingerprinted {") else {
                Issue.record("\(type) has no fingerprint in PageContext+Fingerprint.swift"); continue
            }
            let body =
                source[start.upperBound...].range(of: "\n}\n").map { source[start.upperBound..<$0.lowerBound] }
                ?? source[start.upperBound...]
            for label in labels.sorted() where body.range(of: "\\b\(label)\\b", options: .regularExpression) == nil {
                Issue.record("\(type).\(label) is not in its fingerprint (PageContext+Fingerprint.swift)")
            }
        }
    }

    /// A post view that carries its body's cache key (which determines the body) is keyed by those
    /// eight bytes, not by hashing the body again; a different key, or none, is a different page key.
    @Test func aPostWithItsBodyKeyIsKeyedByItNotByItsBody() {
        func key(_ post: PostView) -> UInt64 { var hash = Fingerprint(); post.fingerprint(into: &hash); return hash.value }
        guard var keyed = CompiledTemplatesTests.context.post else { Issue.record("no post"); return }
        let plain = keyed
        keyed.body_key = 1
        var sameKeyOtherBody = keyed; sameKeyOtherBody.body_html = "<p>a body with the same key never exists</p>"
        var otherKey = keyed; otherKey.body_key = 2
        #expect(key(keyed) == key(sameKeyOtherBody))
        #expect(key(keyed) != key(otherKey))
        #expect(key(keyed) != key(plain))
        var plainOtherBody = plain; plainOtherBody.body_html += " "
        #expect(key(plain) != key(plainOtherBody))
    }

    /// The binary page cache gives back every entry it was given (any path bytes, extreme
    /// numbers); an older text cache, or a cut-off file, gives no entry or only the whole ones.
    @Test func thePageCacheReadsBackWhatItWrote() {
        var cache = PageCache()
        cache.entries["news/a b/index.html"] = .init(key: .max, file: FileStamp(size: 12, mtime: -1, inode: .max))
        cache.entries["über/ü.html"] = .init(key: 0, file: FileStamp(size: .max, mtime: 1_795_000_000_123_456_789, inode: 7))
        cache.entries[""] = .init(key: 42, file: FileStamp(size: 0, mtime: 0, inode: 0))
        let data = cache.encoded()
        #expect(PageCache.decode(data).entries == cache.entries)
        #expect(PageCache.decode(Data("0123abcd 12 5 7 index.html\n".utf8)).entries.isEmpty)
        #expect(PageCache.decode(data.dropLast()).entries.count == 2)
    }

    /// Post pages, the news list and the feed are keyed by the bodies' cache keys: after a body
    /// edit (same length, so only the bytes differ) and a title edit, the site is a fresh build's.
    @Test func bodyKeyedPagesFollowABodyEditByteForByte() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        try station.edit("Content/news/2026-11-20-winter-specials.md", replacing: "\n---\n", with: "\n---\nFirst.\n\n")
        try station.build()
        try station.edit("Content/news/2026-11-20-winter-specials.md", replacing: "First.", with: "Again.")
        let third = try station.build()
        #expect(third.written.contains("feed.xml"))
        #expect(third.written.contains("news/winter-specials/index.html"))
        #expect(try station.read("site/feed.xml").contains("Again."))
        #expect(!(try station.read("site/feed.xml").contains("First.")))
        let site = try station.snapshot(station.site).mapValues(\.0)
        #expect(site == (try freshBuild(station)))
    }
}
