import Foundation
import Testing

@testable import SiteGenerator

/// The byte scanner that replaced `NSRegularExpression` in `LinkRewriter` must find the same links
/// with the same groups.
@Suite struct LinkScannerTests {
    static let pattern = #"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?((?:\s+"[^"]*")?)\s*\)"#

    struct Found: Equatable, CustomStringConvertible {
        var whole: String, bang: Bool, text: String, target: String, title: String
        var description: String { "\(whole)|\(bang)|\(text)|\(target)|\(title)" }
    }

    static func withRegex(_ body: String) throws -> [Found] {
        let regex = try NSRegularExpression(pattern: pattern)
        let string = body as NSString
        return regex.matches(in: body, range: NSRange(location: 0, length: string.length)).map { match in
            Found(
                whole: string.substring(with: match.range), bang: string.substring(with: match.range(at: 1)) == "!",
                text: string.substring(with: match.range(at: 2)), target: string.substring(with: match.range(at: 3)),
                title: string.substring(with: match.range(at: 4)))
        }
    }

    static func withScanner(_ body: String) -> [Found] {
        var body = body
        return body.withUTF8 { bytes in
            var found: [Found] = []
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
            LinkScanner(bytes: bytes).forEachLink { link in
                found.append(
                    Found(
                        whole: text(link.start..<link.end), bang: link.isImage, text: text(link.text),
                        target: text(link.target), title: text(link.title)))
            }
            return found
        }
    }

    @Test(arguments: [
        "plain text, no links",
        "[Night Owls](../shows/night-owls.md) and ![Owl](images/owl.svg \"An owl\")",
        "[a](<x>) [b](< y >) [c]( /schedule/ ) [d](/x#frag \"t\" ) [e](mailto:a@b.c)",
        "[a [nested](x.md) ](y) [multi\nline](z.md) ![](img.png)",
        "[a]( \"t x\" ) [b](\"quoted\") [c](x \"unterminated) [d](x y) [e](x>y) [f]()",
        "!not an image [x](y) !![z](w) [q]\n(no) [r] (no)",
        "[ünï](çø.md \"tïtle\") [a](x\u{00A0}\"nbsp\") [b](\u{2003}/y)",
        "[unclosed(x) [a](b [c](d)",
    ])
    func scannerFindsWhatTheRegexFinds(body: String) throws {
        #expect(Self.withScanner(body) == (try Self.withRegex(body)))
    }

    @Test func rewrittenLinksKeepTheirLines() {
        let rewriter = LinkRewriter(pageForSource: ["shows/owls.md": "/shows/owls/"], sitePaths: ["/", "/schedule/"], images: [])
        let document = SourceDocument(
            displayPath: "Content/news/a.md", relativePath: "news/a.md",
            body: "Hi [Owls](../shows/owls.md \"t\").\n\nSee [x](missing.md)\n[s](/schedule)", bodyLine: 5, url: "/news/a/")
        let (markdown, errors) = rewriter.rewrite(document)
        #expect(markdown == "Hi [Owls](/shows/owls/ \"t\").\n\nSee [x](missing.md)\n[s](/schedule/)")
        #expect(errors.map(\.description) == ["Content/news/a.md:7: error: broken internal link 'missing.md' (no such Markdown file in Content/)"])
    }
}
