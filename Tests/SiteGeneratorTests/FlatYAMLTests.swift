import Foundation
import StationKit
import Testing
import Yams

@testable import SiteGenerator

/// Flat front matter composed without the parser must be exactly what Yams composes from it, and
/// everything else must be left to Yams.
@Suite struct FlatYAMLTests {
    static let flat: [String] = [
        "title: \"Interview sound community guest recording\"\ndate: 2025-01-11",
        "title: Night Owls\nhost: Sam Rivera\ndescription: Late *music*, café – Nachtschicht ☕",
        "title: 'Winter: specials'\nauthor: Jana\ndraft: true",
        "draft: no\ntitle: Say \"hi\" [live] {now}, C# & more!\nimage: images/owl.png",
        "title: 2026\ndate: 2026-11-20T10:00:00Z\nurl: https://example.org/a:b",
        "draft: yes\ntitle:    spaced   out",
        "title: ~\ndescription: null\nauthor: \"\"",
        "draft: maybe\ntitle: \"true\"\ndescription: 'on'",
    ]

    static let notFlat: [String] = [
        "", "title: Night Owls\n", "title: a\n\nhost: b", "# comment\ntitle: a", "title: a # comment", "title: a: b",
        "title: a:", "title:", "title:a", " title: a", "title: \"a\\\"b\"", "title: 'it''s'", "title: \"a\" b",
        "title: - a", "title: [a, b]", "title: {a: b}", "title: &x a", "title: *x", "title: !str a", "title: |",
        "title: >", "title: @a", "title: `a`", "title: %a", "title: a\ttab", "title: a ", "title: a\ntitle: b",
        "genres:\n  - jazz", "title: a\u{2028}b", "title: a\u{85}b", "ti tle: a", "title : a", "_title: a", "title: \"open",
    ]

    @Test(arguments: flat)
    func composesWhatYamsComposes(yaml: String) throws {
        let fast = try #require(FlatYAML.mapping(yaml)?.0)
        let slow = try #require(try Yams.compose(yaml: yaml, .default, .default, .utf8)?.mapping)
        #expect(fast.count == slow.count)
        for ((fastKey, fastValue), (slowKey, slowValue)) in zip(fast, slow) {
            for (a, b) in [(fastKey, slowKey), (fastValue, slowValue)] {
                // Tags resolve on first use (Yams resolved the keys' while checking for duplicates).
                _ = a.hashValue; _ = b.hashValue
                let x = try #require(a.scalar), y = try #require(b.scalar)
                #expect(x.string == y.string)
                #expect(x.style == y.style)
                #expect("\(x.tag)" == "\(y.tag)")
                #expect(a.bool == b.bool && a.null == b.null && a.int == b.int && a.string == b.string)
            }
            #expect(fastKey == slowKey && fastValue == slowValue)
        }
        var fields = try YAMLFields.parse(yaml, path: "x.md", firstLine: 2, what: "front matter")
        var reference = try YAMLFields.parseWithYams(yaml, path: "x.md", firstLine: 2, what: "front matter")
        for key in ["title", "date", "draft", "description", "author", "image", "host", "url"] {
            #expect(fields.string(key, required: true) == reference.string(key, required: true))
            #expect(fields.bool(key) == reference.bool(key))
            #expect(fields.line(key) == reference.line(key))
        }
        #expect(fields.errors == reference.errors)
        #expect(fields.keys == reference.keys)
    }

    @Test(arguments: notFlat)
    func leavesEverythingElseToYams(yaml: String) {
        #expect(FlatYAML.mapping(yaml) == nil)
    }

    @Test func duplicateKeysStillFailAsYamsSaysSo() {
        let error = #expect(throws: ContentError.self) {
            try YAMLFields.parse("title: a\ntitle: b", path: "Content/news/x.md", firstLine: 2, what: "front matter")
        }
        #expect(error?.description.hasPrefix("Content/news/x.md:") == true)
        #expect(error?.description.contains("duplicate key 'title'") == true)
    }
}
