import Foundation
import StationKit
import Testing

@testable import SiteGenerator

/// Bad input on a copy of the example station: exact error lines, all of them, nothing written.
@Suite struct BuildErrorTests {
    @Test func theExampleStationBuilds() throws {
        let station = try TestStation(); defer { station.remove() }
        #expect(station.errors() == [])
    }

    @Test func unknownTimeZoneInStationYAML() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.edit("Content/station.yaml", replacing: "timezone: Europe/Berlin", with: "timezone: Europe/Hamburg")
        #expect(
            station.errors() == [
                "Content/station.yaml:10: error: unknown time zone 'Europe/Hamburg' (use an IANA name such as Europe/Berlin)"
            ])
    }

    @Test func brokenInternalLink() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.edit("Content/shows/night-owls.md", replacing: "[player](/)", with: "[player](/player/)")
        try station.edit("Content/pages/about.md", replacing: "../shows/vinyl-archive.md", with: "../shows/vinyl-archiv.md")
        #expect(
            station.errors() == [
                "Content/pages/about.md:18: error: broken internal link '../shows/vinyl-archiv.md' (no such Markdown file in Content/)",
                "Content/shows/night-owls.md:12: error: broken internal link '/player/' (the site has no page at that address)",
            ])
    }

    @Test func missingImage() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.edit("Content/shows/night-owls.md", replacing: "image: images/night-owls.svg", with: "image: images/owl.png")
        try station.edit("Content/pages/about.md", replacing: "(../images/logo.svg)", with: "(../images/logo.png)")
        #expect(
            station.errors() == [
                "Content/shows/night-owls.md:4: error: 'image' points to images/owl.png, which does not exist",
                "Content/pages/about.md:25: error: image '../images/logo.png' does not exist (put it under Content/images/)",
            ])
    }

    @Test func templateSyntaxError() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.edit("Templates/news.mustache", replacing: "{{/posts}}", with: "{{/post}}")
        #expect(
            station.errors() == [
                "Templates/news.mustache:7: error: template syntax error: the closing tag names a different section in '{{/post}}'"
            ])
    }

    @Test func missingTemplateAndMissingPartial() throws {
        let station = try TestStation(); defer { station.remove() }
        try FileManager.default.removeItem(at: station.templates.appendingPathComponent("show.mustache"))
        try FileManager.default.removeItem(at: station.templates.appendingPathComponent("partials/share.mustache"))
        #expect(
            station.errors() == [
                "Templates/show.mustache: error: missing template (every site needs it; copy it from the OnAir repository's Templates/)",
                "Templates/index.mustache:25: error: partial 'share' does not exist (add Templates/partials/share.mustache)",
                "Templates/post.mustache:10: error: partial 'share' does not exist (add Templates/partials/share.mustache)",
            ])
    }

    @Test func brokenLinkInATemplate() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.edit("Templates/404.mustache", replacing: "href=\"/schedule/\"", with: "href=\"/programme/\"")
        #expect(
            station.errors() == [
                "Templates/404.mustache:4: error: broken internal link '/programme/' (on /404.html; the site has no such file)"
            ])
    }

    @Test func invalidUTF8() throws {
        let station = try TestStation(); defer { station.remove() }
        let url = station.content.appendingPathComponent("news/2026-11-20-winter-specials.md")
        var data = try Data(contentsOf: url)
        data.append(contentsOf: [0x0A, 0x43, 0x61, 0x66, 0xE9, 0x0A])  // "Café" in Latin-1 on the last line
        try data.write(to: url)
        #expect(station.errors() == ["Content/news/2026-11-20-winter-specials.md:15: error: invalid UTF-8 (save the file as UTF-8)"])
    }

    @Test func emptyContentFolder() throws {
        let station = try TestStation(); defer { station.remove() }
        try FileManager.default.removeItem(at: station.content)
        try FileManager.default.createDirectory(at: station.content, withIntermediateDirectories: true)
        #expect(
            station.errors() == [
                "Content: error: the content folder is empty (it needs station.yaml, schedule.md and shows/; see docs/CONTENT.md)"
            ])
    }

    @Test func everyErrorOfARunIsReportedTogether() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.edit("Content/station.yaml", replacing: "timezone: Europe/Berlin", with: "timezone: Mars/Olympus")
        try station.write("Content/shows/broken.md", "title: Broken\n")
        try station.edit("Content/schedule.md", replacing: "| 10:00–12:00 | [Vinyl Archive]", with: "| 10:00–25:00 | [Vinyl Archive]")
        try station.edit(
            "Content/schedule.md", replacing: "[Long Distance Call](shows/long-distance-call.md)", with: "[Late Call](shows/late-call.md)")
        try station.edit("Content/pages/about.md", replacing: "(/schedule/)", with: "(/programme/)")
        try station.edit("Templates/news.mustache", replacing: "{{/posts}}", with: "{{/post}}")
        #expect(
            station.errors() == [
                "Content/station.yaml:10: error: unknown time zone 'Mars/Olympus' (use an IANA name such as Europe/Berlin)",
                "Content/shows/broken.md:1: error: missing front matter (start the file with a '---' line, then 'title: ...', then '---')",
                "Content/schedule.md:46: error: '25:00' is not a time (use HH:MM from 00:00 to 23:59; 24:00 only as an end)",
                "Content/schedule.md:55: error: unknown show 'late-call' (there is no Content/shows/late-call.md)",
                "Templates/news.mustache:7: error: template syntax error: the closing tag names a different section in '{{/post}}'",
                "Content/pages/about.md:13: error: broken internal link '/programme/' (the site has no page at that address)",
            ])
    }

    @Test func missingRequiredFields() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.write("Content/shows/untitled.md", "---\nhost: Nobody\n---\nText\n")
        try station.edit("Content/station.yaml", replacing: "base_url: https://kanal-elbe.example", with: "base_url: kanal-elbe.example")
        #expect(
            station.errors() == [
                "Content/station.yaml:8: error: 'base_url' must be an absolute http(s) URL like https://radio.example, not 'kanal-elbe.example'",
                "Content/shows/untitled.md:2: error: 'title' is missing",
            ])
    }

    @Test func unknownStationKeysAreNamedWithTheNearestKnownOne() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.edit("Content/station.yaml", replacing: "language: en", with: "language: en\nfeed_itmes: 20\ncolour: teal")
        try station.edit("Content/station.yaml", replacing: "bitrate: 96,", with: "bitrat: 96,")
        #expect(
            station.errors() == [
                "Content/station.yaml:10: error: unknown key 'feed_itmes' (did you mean 'feed_items'?)",
                "Content/station.yaml:11: error: unknown key 'colour'",
                "Content/station.yaml:14: error: unknown key 'streams[].bitrat' (did you mean 'streams[].bitrate'?)",
            ])
    }

    @Test func aDraftShowOnTheScheduleIsNamedAsADraft() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.edit("Content/shows/elbe-talk.md", replacing: "genres:", with: "draft: true\ngenres:")
        #expect(
            station.errors() == [
                "Content/schedule.md:11: error: show 'elbe-talk' is a draft (remove 'draft: true' from Content/shows/elbe-talk.md, or take it off the schedule)",
                "Content/schedule.md:26: error: show 'elbe-talk' is a draft (remove 'draft: true' from Content/shows/elbe-talk.md, or take it off the schedule)",
            ])
    }
}
