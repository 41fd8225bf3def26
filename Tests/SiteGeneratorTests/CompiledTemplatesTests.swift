import Foundation
import Mustache
import Testing

@testable import SiteGenerator

/// OnAir's compiled renderer must print exactly what swift-mustache prints for the same template
/// and the same views: every case here renders both ways and compares the bytes.
@Suite struct CompiledTemplatesTests {
    static func slot(_ title: String, host: String?) -> SlotView {
        SlotView(
            show_slug: "owls", show_title: title, show_url: "/shows/owls/", host: host, day: "friday", day_name: "Friday",
            weekly_start: "22:00", weekly_end: "02:00", start: "2026-11-27T21:00:00Z", end: "2026-11-28T01:00:00Z",
            crosses_midnight: true, special: false, show_day: true, title: "New <Year>", date: "2026-12-31", date_label: "Thursday")
    }

    static let context: PageContext = {
        let stream = StreamView(
            mount: "/radio.ogg", url: "/stream/radio.ogg", absolute_url: "https://r.example/stream/radio.ogg",
            format: "vorbis", mime: "audio/ogg", source_type: "audio/ogg; codecs=vorbis", bitrate: 128, label: "Ogg 128")
        let show = ShowView(
            slug: "owls", title: "Night \"Owls\"", host: "Sam & Kim", url: "/shows/owls/", image: nil, description: "Late 'jazz'",
            genres: ["jazz", "soul"], has_genres: true, body_html: "<p>Body</p>", slots: [slot("Owls", host: nil)],
            has_slots: true, next_airing: slot("Owls", host: "Sam"))
        let post = PostView(
            title: "Hello <world>", url: "/news/hello/", date: "2026-11-20", date_label: "20 November 2026",
            author: nil, description: "Desc", image: "/images/a.png", body_html: "<p>x</p>")
        var context = PageContext(
            station: StationView(
                name: "Radio & Co", tagline: "Tag", description: "D", language: "en", base_url: "https://r.example",
                logo: "/images/logo.svg", logo_absolute: nil, timezone: "Europe/Berlin",
                social: [LinkView(name: "X", url: "https://x.com/r")], has_social: true,
                listen_m3u: "/listen.m3u", listen_pls: "/listen.pls"),
            streams: [stream], first_stream: stream, sources: [stream],
            share: [ShareLink(name: "X", key: "x", url: "https://x.com/intent?a=1&b=2")], share_url: "https://r.example/", share_text: "Hi",
            asset_version: "abc",
            page: PageMeta(
                title: "T", full_title: "T · R", description: "D", canonical: "https://r.example/",
                image: nil, og_type: "website", path: "/", is_home: true, kind: "home"),
            nav: [NavItem(label: "Listen", url: "/", current: true), NavItem(label: "News", url: "/news/", current: false)],
            year: "2026", timezone: "Europe/Berlin")
        let recording = RecordingView(
            show_title: "Night \"Owls\"", show_url: "/shows/owls/", start: "2026-11-20T21:00:00Z",
            date_label: "20 November 2026, 22:00", duration: 3600, duration_label: "1:00:00", dj: "Sam <b>",
            url: "/recordings/owls/2026-11-20-2200.opus", mime: "audio/ogg",
            tracks: [RecordingTrackView(offset: 95, time_label: "1:35", text: "A & B - <script>")], has_tracks: true)
        var recorded = show
        recorded.recordings = [recording]
        recorded.has_recordings = true
        recorded.podcast_url = "/shows/owls/podcast.xml"
        context.show = recorded
        context.latest_recordings = [recording]
        context.has_latest_recordings = true
        context.shows = [show, show]
        context.posts = [post]
        context.post = post
        context.days = [DayView(key: "monday", name: "Monday", slots: [], is_empty: true)]
        return context
    }()

    static func bothWays(_ templates: [String: String], render name: String) throws -> (String, String) {
        var library = MustacheLibrary()
        for (templateName, text) in templates { library.register(try MustacheTemplate(string: text), named: templateName) }
        let compiled = try #require(CompiledTemplates(sources: templates))
        return (compiled.render(context, template: name), library.render(context, withTemplate: name) ?? "")
    }

    @Test(arguments: [
        "{{station.name}} {{{station.name}}} {{& station.name}} {{ station.tagline }}",
        "<p>{{show.title}}</p>{{show.description}}{{post.title}}{{share_text}}",
        "{{#nav}}<li><a href=\"{{url}}\"{{#current}} aria-current=\"page\"{{/current}}>{{label}}</a></li>{{/nav}}",
        "{{#show}}\n  <h1>{{title}}</h1>\n  {{#host}}<p>{{.}}</p>{{/host}}\n  {{#image}}<img src=\"{{.}}\">{{/image}}\n{{/show}}\n",
        "{{#show}}{{#genres}}<li>{{.}}</li>{{/genres}}{{^genres}}none{{/genres}}{{/show}}\n",
        "{{#post}}{{#author}} · {{.}}{{/author}}{{^author}}anon{{/author}}{{/post}}",
        "{{^specials}}\nNo specials.\n{{/specials}}\n{{#days}}\n  <h2>{{name}}</h2>\n  {{#is_empty}}\n  <p>Off air</p>\n  {{/is_empty}}\n{{/days}}\n",
        "{{! a comment }}\n  {{! standalone }}\nText {{! inline }} end\n",
        "{{#shows}}{{#slots}}{{title}} {{show_title}} {{host}} {{crosses_midnight}}{{/slots}}{{/shows}}",
        "{{#first_stream}}{{bitrate}} {{label}}{{/first_stream}}{{#streams}}{{format}}{{/streams}}",
        "{{page.image}}|{{#page.image}}x{{/page.image}}|{{^page.image}}no image{{/page.image}}|{{page.is_home}}",
        "{{#station}}{{#page}}{{kind}} {{name}}{{/page}}{{/station}}",
        "{{.}}|{{unknown}}|{{station.unknown.deeper}}|{{#unknown}}x{{/unknown}}{{^unknown}}y{{/unknown}}",
        "{{show.genres}}|{{station.social}}|{{share}}",
        "  {{#post}}\r\n  {{title}}\r\n  {{/post}}\r\n",
        "{{#post}}{{.title}}{{/post}} {{{ share_url }}}",
        "a {{#nav}}\n{{label}}\n{{/nav}} b\n",
        "{ {{year}} }{{#has_specials}}yes{{/has_specials}}",
    ])
    func rendersLikeSwiftMustache(template: String) throws {
        let (compiled, library) = try Self.bothWays(["t": template], render: "t")
        #expect(compiled == library)
    }

    @Test func partialsAndTheirIndentation() throws {
        let templates = [
            "page": "<main>\n  {{> card}}\n{{#shows}}\n    {{> card}}\n{{/shows}}\nx {{> inline}} y\n{{> missing}}\n",
            "card": "<div>\n  {{title}}\n{{#nav}}\n<a>{{label}}</a>\n{{/nav}}\n</div>\n  {{> inline}}\n",
            "inline": "[{{station.name}}]",
        ]
        let (compiled, library) = try Self.bothWays(templates, render: "page")
        #expect(compiled == library)
        #expect(compiled.contains("    <div>\n      Night &quot;Owls&quot;\n"))
    }

    /// Every stored property of every view answers by its own name with the same bytes as reflection.
    @Test func everyViewFieldIsReachableByName() throws {
        func template(for value: Any) -> String {
            Mirror(reflecting: value).children.compactMap(\.label).map { "[\($0)={{\($0)}}]" }.joined()
        }
        let context = Self.context
        var text = template(for: context)
        let nested: [(String, Any)] = [
            ("station", context.station), ("first_stream", context.first_stream as Any),
            ("share", context.share[0]), ("nav", context.nav[0]), ("page", context.page),
            ("show", context.show as Any), ("post", context.post as Any),
            ("days", context.days[0]), ("station.social", context.station.social[0]),
            ("latest_recordings", context.latest_recordings[0]),
            ("latest_recordings.tracks", context.latest_recordings[0].tracks[0]),
        ]
        for (name, value) in nested {
            let unwrapped = Mirror(reflecting: value).displayStyle == .optional ? Mirror(reflecting: value).children.first?.value ?? value : value
            text += "{{#\(name)}}" + template(for: unwrapped) + "{{/\(name)}}"
        }
        text += "{{#show}}{{#next_airing}}" + template(for: Self.slot("x", host: "h")) + "{{/next_airing}}{{/show}}"
        let (compiled, library) = try Self.bothWays(["t": text], render: "t")
        #expect(compiled == library)
        #expect(compiled.contains("[show_day=true]"))
    }

    @Test(arguments: ["{{=<% %>=}}<% x %>", "{{uppercased(name)}}", "{{<parent}}{{/parent}}", "{{%CONTENT_TYPE: TEXT}}", "{{>*dynamic}}"])
    func templatesOutsideTheSubsetStayWithSwiftMustache(template: String) {
        #expect(CompiledTemplates(sources: ["t": template]) == nil)
    }

    @Test func theExampleTemplatesCompile() throws {
        let set = try TemplateSet.load(from: TestStation.repository.appendingPathComponent("Templates"), displayPath: "Templates").get()
        #expect(set.compiled != nil)
    }
}
