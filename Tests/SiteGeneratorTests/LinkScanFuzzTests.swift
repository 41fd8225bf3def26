import Foundation
import StationKit
import Testing

@testable import SiteGenerator

/// The quote-to-quote link scanner finds exactly what the pattern `(?:href|src)="([^"]*)"` finds,
/// on many random texts made of the pattern's own pieces (deterministic seed, not timed).
@Suite struct LinkScanFuzzTests {
    /// A tiny deterministic generator (SplitMix64).
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pieces = ["href=", "src=", "\"", "/", "//", "a", " ", "h", "s", "=", "&amp;", "é", "hre", "sr", "c=\"", "f=\""]

    @Test func randomTextsGiveThePatternsMatches() throws {
        let regex = try NSRegularExpression(pattern: #"(?:href|src)="([^"]*)""#)
        var random = Seeded(state: 7)
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...24, using: &random)).map { _ in Self.pieces.randomElement(using: &random) ?? "" }.joined()
            let ns = text as NSString
            let expected = regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
            #expect(LinkChecker.links(in: Data(text.utf8)) == expected, "\(text)")
            let internalLinks = expected.filter { $0.hasPrefix("/") && !$0.hasPrefix("//") }
            #expect(LinkChecker.links(in: Data(text.utf8), internalOnly: true) == internalLinks, "\(text)")
        }
    }

    @Test(arguments: [(2026, 11, 20), (5, 1, 2), (999, 12, 31), (10000, 1, 1), (0, 1, 1), (-5, 3, 4), (1970, 1, 1)])
    func isoDatesAreWhatLocalDateWrites(year: Int, month: Int, day: Int) {
        let date = LocalDate(year: year, month: month, day: day)
        #expect(ViewBuilder.isoDate(date) == date.description)
    }

    @Test(arguments: ["/a/b/", "/a?x=1", "/a#top", "/a#\u{20E3}b?c", "/?#", "#", "/café/?v=1", "/a/#\u{301}x#y", "/x?\u{20E3}"])
    func pathOnlyCutsWhereCharactersDo(target: String) {
        #expect(LinkRewriter.pathOnly(target) == String(target.prefix { $0 != "?" && $0 != "#" }))
    }

    @Test(arguments: [
        "", " ", "\t\n", "---", "  --- ", "a b", " \u{301}x", "x\u{301} ", "\u{A0}x\u{A0}", " x\u{3000}",
        "\r\nx\r\n", "\u{0B}x\u{0C}", "\u{85}x", " Café ", "\u{1F}x\u{1F}", "é", " é ",
    ])
    func trimmingIsFoundations(text: String) {
        #expect(Escaping.trimmed(text, newlines: false) == text.trimmingCharacters(in: .whitespaces))
        #expect(Escaping.trimmed(text, newlines: true) == text.trimmingCharacters(in: .whitespacesAndNewlines))
        let sub = ("<" + text + ">").dropFirst().dropLast()
        #expect(Escaping.trimmed(sub, newlines: true) == sub.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
