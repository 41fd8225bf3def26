import Foundation
import StationKit
import Testing

@testable import SiteGenerator

/// Languages, share cards, the feed limit and the embed page, on a copy of the example station.
@Suite struct ListenerFeaturesTests {
    @Test(arguments: ["de"])
    func everyShippedLanguageHasEveryKeyOfEnglish(language: String) throws {
        let templates = TestStation.repository.appendingPathComponent("Templates")
        let result = try #require(Strings.load(templatesURL: templates, templatesPath: "Templates", language: language))
        let strings = try result.get()
        let english = try #require(Strings.load(templatesURL: templates, templatesPath: "Templates", language: "en")).get()
        #expect(Set(strings.table.keys) == Set(english.table.keys))
        #expect(strings.table.values.allSatisfy { !$0.isEmpty })
    }

    @Test func aMissingKeyAndAnUnknownLanguageAreNamed() throws {
        let station = try TestStation()
        defer { station.remove() }
        try station.edit("Content/station.yaml", replacing: "language: en", with: "language: de")
        try station.edit("Templates/strings/de.yaml", replacing: "coming_up: Demnächst\n", with: "")
        #expect(station.errors() == ["Templates/strings/de.yaml: error: missing key 'coming_up' (en.yaml: \"Coming up\")"])
        try station.edit("Content/station.yaml", replacing: "language: de", with: "language: fr")
        #expect(
            station.errors() == [
                "Templates/strings/fr.yaml: error: does not exist, but station.yaml says language: fr "
                    + "(there are: de, en; translate en.yaml)"
            ])
    }

    @Test func germanPagesUseGermanTextsAndDates() throws {
        let station = try TestStation()
        defer { station.remove() }
        try station.edit("Content/station.yaml", replacing: "language: en", with: "language: de")
        try station.build()
        let home = try station.read("site/index.html")
        #expect(home.contains("<h2 id=\"coming-up-heading\">Demnächst</h2>"))
        #expect(home.contains("<a href=\"/schedule/\">Sendeplan</a>"))
        #expect(home.contains("<meta name=\"onair-strings\" content=\"{&quot;buffering&quot;:&quot;Puffert…&quot;"))
        let schedule = try station.read("site/schedule/index.html")
        #expect(schedule.contains(">Montag</h2>") && !schedule.contains(">Monday<"))
    }

    @Test func feedItemsLimitsTheFeedAndRejectsNonsense() throws {
        let station = try TestStation()
        defer { station.remove() }
        try station.edit("Content/station.yaml", replacing: "language: en", with: "language: en\nfeed_items: 1")
        try station.build()
        #expect(try station.read("site/feed.xml").components(separatedBy: "<item>").count == 2)
        try station.edit("Content/station.yaml", replacing: "feed_items: 1", with: "feed_items: 0")
        #expect(
            station.errors().contains {
                $0.hasPrefix("Content/station.yaml:")
                    && $0.hasSuffix(
                        "error: 'feed_items' must be a whole number from 1 to 10000 (how many posts feed.xml carries), not 0")
            })
    }

    @Test func cardsAreContentAddressedAndTextIsEscaped() throws {
        let station = try TestStation()
        defer { station.remove() }
        try station.edit("Content/station.yaml", replacing: "name: Kanal Elbe", with: "name: \"Kanal <Elbe> & Co\"")
        try station.build()
        let home = try station.read("site/index.html")
        let card = try #require(home.firstMatch(of: /cards\/([0-9a-f]{16})\.png/))
        let png = try Data(contentsOf: station.site.appendingPathComponent("cards/\(card.1).png"))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(png[16..<24] == Data([0, 0, 0x04, 0xB0, 0, 0, 0x02, 0x76]))  // 1200 × 630
        #expect(home.contains("<meta property=\"og:image:alt\" content=\"Kanal &lt;Elbe&gt; &amp; Co – "))
    }

    @Test func onlyTheEmbedPageStandsAlone() throws {
        let station = try TestStation()
        defer { station.remove() }
        try station.build()
        let embed = try station.read("site/embed/index.html")
        #expect(embed.hasPrefix("<!doctype html>") && !embed.contains("site-header"))
        #expect(embed.utf8.count < 5_000)  // with its CSS and script well under 10 KB
        #expect(!(try station.read("site/index.html")).contains("chat.js"))
    }

    @Test(arguments: [
        ("Night Owls", ["Night Owls"]),
        (
            "A very long title that goes on and on and on beyond three lines of the card for sure",
            ["A very long title that", "goes on and on and on", "beyond three lines of …"]
        ),
    ])
    func titlesWrapOntoAtMostThreeLines(title: String, lines: [String]) {
        #expect(ShareCards.wrap(title) == lines)
    }
}
