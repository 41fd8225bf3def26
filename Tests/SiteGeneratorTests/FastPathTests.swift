import Foundation
import Mustache
import Testing

@testable import SiteGenerator

/// The generator's fast paths give the same results as the plain ones they replaced.
@Suite struct FastPathTests {
    @Test(arguments: [
        ("<a href=\"/news/\">x</a><img src=\"/images/a.png\">", ["/news/", "/images/a.png"]),
        ("<a data-src=\"/x/\" href=\"https://e.org/?a=1&amp;b=2\">", ["/x/", "https://e.org/?a=1&amp;b=2"]),
        ("<a href=\"/unclosed", []),
        ("<p>no links, just href= and src=</p>", []),
        ("<a href=\"\">empty</a><a href=\"/café/\">", ["", "/café/"]),
    ])
    func linkScannerFindsWhatThePatternFinds(html: String, expected: [String]) throws {
        #expect(LinkChecker.links(in: Data(html.utf8)) == expected)
        let regex = try NSRegularExpression(pattern: #"(?:href|src)="([^"]*)""#)
        let ns = html as NSString
        let viaRegex = regex.matches(in: html, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
        #expect(viaRegex == expected)
    }

    @Test(arguments: [
        ("Tom & Jerry <live> \"quoted\" 'single'", "Tom &amp; Jerry &lt;live&gt; &quot;quoted&quot; &apos;single&apos;"),
        ("plain text", "plain text"),
        ("Björk – Jóga & Ünïcødé 🎶 <b>", "Björk – Jóga &amp; Ünïcødé 🎶 &lt;b&gt;"),
        ("", ""),
    ])
    func xmlEscaping(text: String, expected: String) {
        #expect(Escaping.xml(text) == expected)
    }

    @Test func replacingEveryOccurrence() {
        let html = "<a href=\"/a/\">A</a> <a href=\"https://x/\">X</a> <img src=\"/i.png\"> href=\"/"
        #expect(
            Escaping.replacing("href=\"/", with: "href=\"https://r.example/", in: html)
                == "<a href=\"https://r.example/a/\">A</a> <a href=\"https://x/\">X</a> <img src=\"/i.png\"> href=\"https://r.example/")
        #expect(Escaping.replacing("zz", with: "y", in: "z") == "z")
        #expect(Escaping.replacing("ä", with: "ae", in: "Bär Bär") == "Baer Baer")
    }
}
