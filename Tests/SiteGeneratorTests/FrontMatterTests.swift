import Foundation
import StationKit
import Testing

@testable import SiteGenerator

@Suite struct FrontMatterTests {
    func parse(_ text: String) throws(ContentError) -> FrontMatter {
        try FrontMatter.parse(SourceFile(displayPath: "Content/shows/night-owls.md", text: text))
    }

    @Test func readsFieldsAndBody() throws {
        var matter = try parse("---\ntitle: Night Owls\nhost: Sam\ngenres: [ambient, downtempo]\n---\nLate *music*.\n")
        #expect(matter.fields.string("title") == "Night Owls")
        #expect(matter.fields.string("host") == "Sam")
        #expect(matter.fields.strings("genres") == ["ambient", "downtempo"])
        #expect(matter.body == "Late *music*.\n")
        #expect(matter.bodyLine == 6)
        #expect(matter.fields.line("host") == 3)
    }

    @Test(arguments: [
        (
            "title: Night Owls\n",
            "Content/shows/night-owls.md:1: error: missing front matter (start the file with a '---' line, then 'title: ...', then '---')"
        ),
        ("", "Content/shows/night-owls.md:1: error: missing front matter (start the file with a '---' line, then 'title: ...', then '---')"),
        ("---\ntitle: Night Owls\n", "Content/shows/night-owls.md:1: error: front matter is not closed (add a '---' line after it)"),
        (
            "---\ntitle: Night Owls\nhost: Sam: Rivera\n---\n",
            "Content/shows/night-owls.md:3: error: front matter is not valid YAML: mapping values are not allowed in this context"
        ),
        (
            "---\ntitle: Night Owls\ngenres: [ambient, downtempo\n---\n",
            "Content/shows/night-owls.md:3: error: front matter is not valid YAML: while parsing a flow sequence did not find expected ',' or ']'"
        ),
        ("---\n- just\n- a list\n---\n", "Content/shows/night-owls.md:2: error: front matter must be 'key: value' lines"),
    ])
    func badFrontMatter(text: String, expected: String) {
        #expect(throws: ContentError.self) { try parse(text) }
        do { _ = try parse(text) } catch { #expect(error.description == expected) }
    }

    @Test func typeErrorsCarryTheFieldsLine() throws {
        var matter = try parse("---\ntitle: Night Owls\ngenres: { a: b }\n---\n")
        #expect(matter.fields.strings("genres") == [])
        #expect(
            matter.fields.errors.map(\.description) == ["Content/shows/night-owls.md:3: error: 'genres' must be a list of text, like [jazz, soul]"])
    }

    @Test func invalidUTF8NamesTheLine() {
        let data = Data("---\ntitle: x\n---\nok\n".utf8) + Data([0x66, 0xFF, 0x0A])
        #expect(SourceFile.firstInvalidLine(data) == 5)
    }
}
