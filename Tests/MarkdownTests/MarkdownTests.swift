import Foundation
import Markdown
import Testing

@Suite struct MarkdownTests {
    @Test(arguments: [
        ("# Night Owls", #"<h1 id="Night-Owls">Night Owls</h1>"#),
        ("Some *jazz* and **soul**.", "<p>Some <em>jazz</em> and <strong>soul</strong>.</p>"),
        ("[Night Owls](/shows/night-owls/)", #"<p><a href="/shows/night-owls/">Night Owls</a></p>"#),
    ])
    func rendersTheBasics(source: String, expected: String) throws {
        #expect(try Markdown.html(source).trimmingCharacters(in: .whitespacesAndNewlines) == expected)
    }

    @Test func fencedCodeBlocks() throws {
        let html = try Markdown.html("```\nonair build\n```\n")
        #expect(html.contains("<pre><code>onair build\n</code></pre>"))
    }

    @Test func bareURLsBecomeLinks() throws {
        let html = try Markdown.html("See https://example.org for more.")
        #expect(html.contains(#"<a href="https://example.org">https://example.org</a>"#))
    }

    @Test func emptyInputGivesEmptyOutput() throws {
        #expect(try Markdown.html("") == "")
    }

    @Test func unicodeSurvives() throws {
        #expect(try Markdown.html("Café – Nachtschicht ☕").contains("Café – Nachtschicht ☕"))
    }

    @Test func parallelCallsAreSafe() async throws {
        try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<64 { group.addTask { try Markdown.html("## Heading \(i)\n\nText \(i)") } }
            var count = 0
            for try await html in group { #expect(html.contains("<h2")); count += 1 }
            #expect(count == 64)
        }
    }
}
