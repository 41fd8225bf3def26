import Foundation
import StationKit
import Testing

@testable import SiteGenerator

/// File names that would escape their folder and files that must never be published: an exact
/// error line each, and the published site left exactly as it was.
@Suite struct ContentSafetyTests {
    /// Builds the example station once, changes it with `change`, and returns the failed build's
    /// error lines after checking that the published site did not move.
    func errorsLeavingTheSiteUntouched(_ change: (TestStation) throws -> Void) throws -> [String] {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        let before = try station.snapshot(station.root)
        try change(station)
        let errors = station.errors()
        let after = try station.snapshot(station.site)
        for (path, (data, modified)) in after {
            let old = before["site/" + path]
            #expect(old?.0 == data && old?.1 == modified, "site/\(path) changed")
        }
        #expect(Set(after.keys.map { "site/" + $0 }) == Set(before.keys.filter { $0.hasPrefix("site/") }))
        // Nothing was written beside the site either (a slug '..' would land in site/ itself or above it).
        let outside = try station.snapshot(station.root).keys.filter { !$0.hasPrefix("site/") && before[$0] == nil }
        #expect(outside.allSatisfy { $0.hasPrefix("Content/") }, "written outside the site: \(outside)")
        return errors
    }

    @Test func aNewsFileNamedDateDotDotIsRefused() throws {
        let errors = try errorsLeavingTheSiteUntouched { station in
            try station.write("Content/news/2026-01-01-...md", "---\ntitle: Escape\n---\nBody.\n")
        }
        #expect(
            errors == [
                "Content/news/2026-01-01-...md:1: error: the file name makes the address '/news/../', which is not allowed; rename the file "
                    + "to lowercase letters, digits and '-', starting with a letter or digit (like 2026-01-01-winter-specials.md)"
            ])
    }

    @Test(arguments: [
        ("Content/pages/About Us.md", "'/About Us/'", "about-us.md"),
        ("Content/pages/-dash.md", "'/-dash/'", "about-us.md"),
        ("Content/news/2026-01-02-Caf\u{E9}.md", "'/news/Caf\u{E9}/'", "2026-01-02-winter-specials.md"),
        ("Content/news/2026-01-03-a%2F..%2Fb.md", "'/news/a%2F..%2Fb/'", "2026-01-03-winter-specials.md"),
    ])
    func pagesAndPostsGetTheSameSlugRule(file: String, address: String, example: String) throws {
        let errors = try errorsLeavingTheSiteUntouched { station in
            try station.write(file, "---\ntitle: T\ndate: 2026-01-01\n---\nBody.\n")
        }
        #expect(
            errors == [
                "\(file):1: error: the file name makes the address \(address), which is not allowed; rename the file "
                    + "to lowercase letters, digits and '-', starting with a letter or digit (like \(example))"
            ])
    }

    @Test func aShowNameWithCapitalsSaysWhatToRename() throws {
        let errors = try errorsLeavingTheSiteUntouched { station in
            try FileManager.default.moveItem(
                at: station.content.appendingPathComponent("shows/night-owls.md"),
                to: station.content.appendingPathComponent("shows/Night_Owls.md"))
        }
        #expect(
            errors.first == "Content/shows/Night_Owls.md:1: error: the file name makes the address '/shows/Night_Owls/', which is not "
                + "allowed; rename the file to lowercase letters, digits and '-', starting with a letter or digit (like night-owls.md)")
    }

    @Test func imagesPublishOnlyImageFilesAndNeverFollowLinks() throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("onair-secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: secret, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: secret) }
        try Data("source-password".utf8).write(to: secret.appendingPathComponent("secret.png"))
        let errors = try errorsLeavingTheSiteUntouched { station in
            let images = station.content.appendingPathComponent("images")
            try station.write("Content/images/evil.js", "alert(document.cookie)")
            try station.write("Content/images/page.HTML", "<script>alert(1)</script>")
            try station.write("Content/images/ok/Photo.JPG", "jpeg")
            try FileManager.default.createSymbolicLink(
                at: images.appendingPathComponent("linked.png"),
                withDestinationURL: secret.appendingPathComponent("secret.png"))
            try FileManager.default.createSymbolicLink(at: images.appendingPathComponent("folder"), withDestinationURL: secret)
        }
        let only = "only images are published from images/ (avif, gif, ico, jpeg, jpg, png, svg, webp); move this file out of the folder"
        let link = "is a symbolic link; images/ publishes only files that are really in it (copy the image in instead of linking it)"
        #expect(
            errors == [
                "Content/images/evil.js: error: \(only)",
                "Content/images/folder: error: \(link)",
                "Content/images/linked.png: error: \(link)",
                "Content/images/page.HTML: error: \(only)",
            ])
    }

    @Test func imageListingMatchesWhatIsPublished() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.write("Content/images/sub/a.webp", "x")
        try station.write("Content/images/.DS_Store", "x")
        let scan = ContentImages(root: station.content.appendingPathComponent("images"), displayPath: "Content/images").scan()
        #expect(scan.errors.isEmpty)
        #expect(scan.files.map(\.path).contains("images/sub/a.webp"))
        #expect(!scan.files.map(\.path).contains { $0.contains(".DS_Store") })
        try station.build()
        #expect(FileManager.default.fileExists(atPath: station.site.appendingPathComponent("images/sub/a.webp").path))
    }
}
