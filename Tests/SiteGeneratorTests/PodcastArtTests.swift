import Foundation
import SVGRender
import StationKit
import Testing

@testable import SiteGenerator

/// The podcast covers: what `itunes:image` points at, when a show's own image is used as it is,
/// the rendered PNG (size, RGB without alpha), errors for images that cannot be drawn, and the
/// content-addressed cache (an unchanged cover is never rendered again).
@Suite struct PodcastArtTests {
    /// The header a PNG or JPEG starts with, and nothing else: the build reads only headers of
    /// images it uses as they are (an image to draw must be a real one: `png(width:height:)`).
    static func jpegHeader(width: Int, height: Int, components: UInt8 = 3) -> Data {
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        bytes += [0xFF, 0xC0, 0x00, 8 + 3 * components, 8, UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF)]
        bytes.append(components)
        for id in 1...components { bytes += [id, 0x11, 0] }
        return Data(bytes + [0xFF, 0xD9])
    }

    static func pngHeader(width: Int, height: Int, colourType: UInt8) -> Data {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        for value in [width, height] { bytes += [24, 16, 8, 0].map { UInt8((value >> $0) & 0xFF) } }
        // The IHDR's CRC (not checked), then the IEND chunk a whole PNG ends with.
        return Data(bytes + [8, colourType, 0, 0, 0] + [0, 0, 0, 0] + iend)
    }

    static let iend: [UInt8] = [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]

    /// A real opaque PNG (RGB, colour type 2), drawn by librsvg.
    static func png(width: Int, height: Int) throws -> Data {
        let svg = ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4" fill="#c0392b"/></svg>"##
        return try SVGRasterizer.png(svg: Data(svg.utf8), width: width, height: height)
    }

    /// Width, height and colour type from a PNG's IHDR.
    static func ihdr(_ png: Data) throws -> (width: Int, height: Int, colourType: UInt8) {
        try #require(png.count > 26 && png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        try #require(png[12..<16] == Data("IHDR".utf8))
        func int(_ at: Int) -> Int { png[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (int(16), int(20), png[25])
    }

    /// Builds the station with one Night Owls recording; returns the feed's `itunes:image` address.
    func buildCover(_ station: TestStation) throws -> String {
        try station.addRecording(TestStation.sidecar("night-owls", "2026-11-20T21:00:00Z"))
        _ = try station.buildWithRecordings()
        return try cover(station)
    }

    func cover(_ station: TestStation, show: String = "night-owls") throws -> String {
        let feed = try station.read("site/shows/\(show)/podcast.xml")
        let href = try #require(feed.firstMatch(of: /<itunes:image href="([^"]+)"\/>/)).1
        #expect(feed.contains("<image><url>\(href)</url><title>"))
        return String(href)
    }

    /// The published file of an absolute address on the test station.
    func siteFile(_ station: TestStation, _ href: String) -> URL {
        station.site.appendingPathComponent(String(href.dropFirst("https://kanal-elbe.example/".count)))
    }

    func setImage(_ station: TestStation, _ file: String, _ data: Data) throws {
        try data.write(to: station.content.appendingPathComponent("images/\(file)"))
        try station.edit("Content/shows/night-owls.md", replacing: "images/night-owls.svg", with: "images/\(file)")
    }

    @Test func anSVGShowImageIsRenderedIntoASquareRGBPNG() throws {
        let station = try TestStation()
        defer { station.remove() }
        let href = try buildCover(station)
        let match = try #require(href.wholeMatch(of: /https:\/\/kanal-elbe\.example(\/shows\/night-owls\/podcast-[0-9a-f]{16}\.png)/))
        let png = try Data(contentsOf: station.site.appendingPathComponent(String(match.1.dropFirst())))
        let header = try Self.ihdr(png)
        #expect(header.width == PodcastArt.size && header.height == PodcastArt.size)
        #expect(header.colourType == 2)  // RGB: apps want no alpha channel
        #expect(png.count < 600_000)
        // Every show with a podcast has one.
        for show in ["morning-tide", "kiezbeats"] { #expect(try cover(station, show: show).hasSuffix(".png")) }
    }

    @Test func theDrawingCarriesTheTitleEscapedTheStationAndTheArtwork() throws {
        let profile = StationProfile(
            name: "Kanal <Elbe>", tagline: "", description: "", baseURL: "https://x.example",
            language: "en", timezone: "UTC", streams: [], artwork: "images/logo.svg")
        let logo = Data(#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>"#.utf8)
        let art = try PodcastArt.load(
            templatesURL: TestStation.repository.appendingPathComponent("Templates"), templatesPath: "Templates", profile: profile,
            files: ["images/logo.svg": logo]
        ).get()
        let show = Show(slug: "owls", title: "Owls & <Larks>", host: "Sam", image: nil, description: "", genres: [], body: "")
        guard case .rendered(let path, let drawing) = art.cover(for: show, subtitle: "with Sam") else {
            Issue.record("expected a rendered cover")
            return
        }
        #expect(path.hasPrefix("/shows/owls/podcast-") && path.hasSuffix(".png"))
        #expect(drawing.svg.contains(">Owls &amp; &lt;Larks&gt;</text>") && drawing.svg.contains(">Kanal &lt;Elbe&gt;</text>"))
        #expect(drawing.svg.contains(PodcastArt.artworkSlot) && drawing.artworkSVG == logo && drawing.size == PodcastArt.size)
        // The same show gives the same address; another title another.
        #expect(art.cover(for: show, subtitle: "with Sam")?.path == path)
        var renamed = show
        renamed.title = "Owls"
        #expect(art.cover(for: renamed, subtitle: "with Sam")?.path != path)
    }

    @Test(arguments: [("owl.jpg", "jpeg"), ("owl.png", "png")])
    func aBigSquareRGBImageIsUsedAsItIs(file: String, kind: String) throws {
        let station = try TestStation()
        defer { station.remove() }
        let data = kind == "jpeg" ? Self.jpegHeader(width: 1600, height: 1600) : try Self.png(width: 1500, height: 1500)
        try setImage(station, file, data)
        #expect(try buildCover(station) == "https://kanal-elbe.example/images/\(file)")
        let folder = try FileManager.default.contentsOfDirectory(atPath: station.site.path + "/shows/night-owls")
        #expect(!folder.contains { $0.hasPrefix("podcast-") })
    }

    /// Images apps refuse are drawn into a cover (a photo's cover is `photoSize`).
    @Test(arguments: [
        ("wide.png", "a real 1600×900 PNG"), ("small.png", "a real 600×600 PNG"), ("huge.jpg", "4000×4000"),
        ("cmyk.jpg", "1600×1600 CMYK"), ("alpha.png", "1600×1600 RGBA"),
    ])
    func anImageAppsRefuseIsDrawnIntoACover(file: String, what: String) throws {
        let station = try TestStation()
        defer { station.remove() }
        let data: Data =
            switch file {
            case "wide.png": try Self.png(width: 1600, height: 900)
            case "small.png": try Self.png(width: 600, height: 600)
            case "huge.jpg": Self.jpegHeader(width: 4000, height: 4000)
            case "cmyk.jpg": Self.jpegHeader(width: 1600, height: 1600, components: 4)
            default: Self.pngHeader(width: 1600, height: 1600, colourType: 6)
            }
        try setImage(station, file, data)
        let href = try buildCover(station)
        #expect(href.contains("/shows/night-owls/podcast-"), "\(what)")
        let png = try Data(contentsOf: siteFile(station, href))
        let header = try Self.ihdr(png)
        #expect(header.width == PodcastArt.photoSize && header.height == PodcastArt.photoSize && header.colourType == 2)
    }

    @Test func imagesThatCannotBeDrawnAreErrorsThatNameThem() throws {
        let station = try TestStation()
        defer { station.remove() }
        try station.addRecording(TestStation.sidecar("night-owls", "2026-11-20T21:00:00Z"))
        try station.write("Content/images/night-owls.svg", "<svg nonsense")
        try Data(repeating: 0x42, count: 300).write(to: station.content.appendingPathComponent("images/kiezbeats.png"))
        try station.edit("Content/shows/kiezbeats.md", replacing: "images/kiezbeats.svg", with: "images/kiezbeats.png")
        let errors = try #require(throws: ContentErrors.self) { try station.buildWithRecordings() }.errors.map(\.description)
        #expect(errors.count == 2)
        #expect(
            errors.first
                == "Content/images/kiezbeats.png: error: is not a PNG or JPEG that can be read, so it cannot be drawn on the podcast "
                + "cover of 'Kiezbeats'; export it again as PNG or JPEG")
        // librsvg's own words in the middle.
        #expect(
            errors.last?.hasPrefix(
                "Content/images/night-owls.svg: error: cannot be drawn on the podcast cover of 'Night Owls' (rsvg_handle_new_from_data "
                    + "failed: XML parse error") == true)
        #expect(errors.last?.hasSuffix("); fix the SVG, or give the show a PNG or JPEG image") == true)
        #expect(!FileManager.default.fileExists(atPath: station.site.path))
    }

    @Test(arguments: ["png", "jpg"])
    func anImageCutShortIsNotACoverAndItsErrorSaysSo(kind: String) throws {
        let station = try TestStation()
        defer { station.remove() }
        let whole = kind == "png" ? try Self.png(width: 1400, height: 1400) : Self.jpegHeader(width: 1400, height: 1400)
        let cut = whole.prefix(whole.count - (kind == "png" ? 12 : 2))
        try #require(ImageHeader(whole)?.isComplete == true && ImageHeader(cut)?.isComplete == false)
        try setImage(station, "cut.\(kind)", cut)
        try station.addRecording(TestStation.sidecar("night-owls", "2026-11-20T21:00:00Z"))
        let errors = try #require(throws: ContentErrors.self) { try station.buildWithRecordings() }.errors.map(\.description)
        #expect(
            errors == [
                "Content/images/cut.\(kind): error: is cut short (its end is missing), so it cannot be drawn on the podcast cover of "
                    + "'Night Owls'; export it again as PNG or JPEG"
            ])
    }

    @Test func aShareCardLeavesOffAnSVGArtworkItCannotDrawWithoutBlamingItsTemplate() throws {
        let station = try TestStation()
        defer { station.remove() }
        try station.write("Content/images/night-owls.svg", "<svg nonsense")
        _ = try station.build()
        let page = try station.read("site/shows/night-owls/index.html")
        let card = try #require(page.firstMatch(of: /<meta property="og:image" content="https:\/\/kanal-elbe.example\/(cards\/[0-9a-f]{16}\.png)">/))
            .1
        let png = try Data(contentsOf: station.site.appendingPathComponent(String(card)))
        let header = try Self.ihdr(png)
        #expect(header.width == ShareCards.width && header.height == ShareCards.height)
    }

    @Test func aPublishedCoverIsKeptNotRenderedAgain() throws {
        let station = try TestStation()
        defer { station.remove() }
        let href = try buildCover(station)
        let published = siteFile(station, href)
        // Were it rendered again, the real PNG would be back.
        try Data("kept".utf8).write(to: published)
        try station.addRecording(TestStation.sidecar("night-owls", "2026-11-21T21:00:00Z"))
        let (summary, _) = try station.buildWithRecordings()
        #expect(!summary.written.isEmpty && !summary.written.contains { $0.hasSuffix(".png") })
        #expect(try cover(station) == href)
        #expect(try Data(contentsOf: published) == Data("kept".utf8))

        // A new title is a new cover; the old one goes.
        try station.edit("Content/shows/night-owls.md", replacing: "title: Night Owls", with: "title: Night Owls Live")
        _ = try station.buildWithRecordings()
        let renamed = try cover(station)
        #expect(renamed != href && !FileManager.default.fileExists(atPath: published.path))
        #expect(try Self.ihdr(Data(contentsOf: siteFile(station, renamed))).width == PodcastArt.size)
    }

    @Test func withoutTheTemplateOnlyAnImageAppsTakeIsNamed() throws {
        let station = try TestStation()
        defer { station.remove() }
        try FileManager.default.removeItem(at: station.templates.appendingPathComponent(PodcastArt.templateFile))
        try station.addRecording(TestStation.sidecar("night-owls", "2026-11-20T21:00:00Z"))
        _ = try station.buildWithRecordings()
        let feed = try station.read("site/shows/night-owls/podcast.xml")
        #expect(!feed.contains("<itunes:image") && !feed.contains("<image>"))  // not the SVGs
        try Self.png(width: 1400, height: 1400).write(to: station.content.appendingPathComponent("images/square.png"))
        try station.edit("Content/station.yaml", replacing: "artwork: images/logo.svg", with: "artwork: images/square.png")
        _ = try station.buildWithRecordings()
        #expect(try cover(station) == "https://kanal-elbe.example/images/square.png")
    }

    @Test(arguments: [
        (jpegHeader(width: 1600, height: 1400), ImageHeader.Format.jpeg, 1600, 1400, true),
        (jpegHeader(width: 2000, height: 2000, components: 1), .jpeg, 2000, 2000, false),
        (pngHeader(width: 3000, height: 3000, colourType: 2), .png, 3000, 3000, true),
        (pngHeader(width: 1400, height: 1400, colourType: 3), .png, 1400, 1400, false),
    ])
    func headersGiveSizeAndColour(data: Data, format: ImageHeader.Format, width: Int, height: Int, rgb: Bool) throws {
        let header = try #require(ImageHeader(data))
        #expect(header.format == format && header.width == width && header.height == height && header.isRGB == rgb)
    }

    @Test(arguments: [Data(), Data("<svg/>".utf8), Data([0xFF, 0xD8, 0xFF, 0xDA, 0, 2]), Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0])])
    func anythingElseHasNoHeader(data: Data) {
        #expect(ImageHeader(data) == nil)
    }
}
