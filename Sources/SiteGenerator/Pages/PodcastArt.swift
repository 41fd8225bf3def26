import Foundation
import SVGRender
import StationKit

/// The cover of each show's podcast (`itunes:image` and the feed's `<image>`). Podcast apps take
/// only a square JPEG or PNG of 1400 to 3000 px, RGB without an alpha channel (Apple Podcasts
/// refuses the feed otherwise; none of them shows an SVG). A show image that is such a file is
/// used as it is. Any other show gets `Templates/podcast.svg` filled in (its title and host, the
/// station's name, its image or the station's artwork, the theme's colours) and rendered by
/// librsvg to a square PNG (`size`, or `photoSize` around a photo) named after a hash of the
/// filled-in SVG, the renderer, the size and the compression (`/shows/<slug>/podcast-<hash>.png`): the feed knows the address
/// without rendering, and a cover already published is kept, not rendered again (the share
/// cards' rule). Without the template, a station artwork that is a cover stands in, else none.
struct PodcastArt: Sendable {
    /// Sides in pixels: Apple's recommended size (also its largest) for a cover of vector artwork
    /// (an SVG, text and flat colours: about 0.4–0.5 MB); its smallest when the artwork is a PNG or
    /// JPEG, whose noise PNG cannot compress (a photo makes a 1.6 MB cover at 3000, 0.5 MB at 1400)
    /// and which is rarely sharp at 3000 (the box would want a photo of 1140 px). docs/RECORDINGS.md.
    static let size = 3000
    static let photoSize = 1400
    /// The sides podcast apps accept of a show's own image, in pixels.
    static let accepted = 1400...3000
    static let templateFile = "podcast.svg"
    /// Flat colours and text: libpng's default filters and zlib level are worth their time here.
    static let compression = PNGCompression.small

    enum Cover: Sendable, Hashable {
        /// A content image that is a cover as it is (`/images/owl.jpg`).
        case image(String)
        /// Rendered from the template (`/shows/night-owls/podcast-0123456789abcdef.png`).
        case rendered(path: String, drawing: Drawing)

        /// Site path.
        var path: String {
            switch self {
            case .image(let path), .rendered(let path, _): path
            }
        }
    }

    /// What a cover is rendered from.
    struct Drawing: Sendable, Hashable {
        /// The filled-in template. With `artworkSVG` its artwork's address is `artworkSlot`.
        var svg: String
        /// An SVG artwork, drawn to a PNG of `artworkPixels` first (`SVGTemplate.inlining`).
        var artworkSVG: Data?
        /// The artwork's content path (`images/night-owls.svg`), for errors.
        var artworkPath: String?
        /// The show's title, for errors.
        var show: String
        /// Why the artwork cannot be drawn, found before rendering (a PNG or JPEG whose header
        /// cannot be read: librsvg would leave its place empty without a word).
        var artworkProblem: String?
        /// Pixels per side.
        var size: Int
    }

    /// The artwork's box in `podcast.svg` (380 of 1000 units) at `size` (an SVG artwork only).
    static let artworkPixels = 1140
    static let artworkSlot = "onair:podcast-artwork"

    let template: SVGTemplate?
    let theme: ShareCards.Theme
    let station: String
    /// The content's PNG, JPEG and SVG images, by content path.
    let images: [String: Data]
    let defaultArtwork: String?

    /// Fails only on a template that cannot be read or parsed.
    static func load(templatesURL: URL, templatesPath: String, profile: StationProfile, files: [String: Data])
        -> Result<PodcastArt, ContentErrors>
    {
        var template: SVGTemplate?
        switch SVGTemplate.load(templateFile, templatesURL: templatesURL, templatesPath: templatesPath) {
        case nil: break
        case .failure(let errors): return .failure(errors)
        case .success(let loaded): template = loaded
        }
        return .success(
            PodcastArt(
                template: template, theme: ShareCards.Theme(css: files["assets/site.css"].map { String(decoding: $0, as: UTF8.self) }),
                station: profile.name, images: files.filter { $0.key.hasPrefix("images/") && drawable($0.key) },
                defaultArtwork: profile.artwork))
    }

    static func drawable(_ path: String) -> Bool {
        ["png", "jpg", "jpeg", "svg"].contains((path as NSString).pathExtension.lowercased())
    }

    /// A square PNG or JPEG of an accepted size, RGB without alpha (its header says so).
    static func isCover(_ data: Data) -> Bool {
        guard let header = ImageHeader(data) else { return false }
        return header.width == header.height && accepted.contains(header.width) && header.isRGB && header.isComplete
    }

    /// Whether the content image at `path` is a cover as it is.
    func isCover(_ path: String) -> Bool { images[path].map(Self.isCover) ?? false }

    /// The cover of `show`'s podcast; `subtitle` goes under the title ("with Sam Rivera").
    func cover(for show: Show, subtitle: String?) -> Cover? {
        if let image = show.image, isCover(image) { return .image("/" + image) }
        guard let template else { return defaultArtwork.flatMap { isCover($0) ? .image("/" + $0) : nil } }
        var lines = ShareCards.wrap(show.title, width: 16, maxLines: 2)
        var fontSize = 84, top = 600
        if lines.count > 1, ShareCards.wrap(show.title, width: 16, maxLines: 3).count > 2 {
            lines = ShareCards.wrap(show.title, width: 22, maxLines: 3)
            fontSize = 58
            top = 590
        }
        // Below the artwork; a subtitle under three lines reaches into the bottom fifth, which
        // apps may cover (`podcast.svg`).
        let step = fontSize * 118 / 100
        let artwork = [show.image, defaultArtwork].compactMap { $0 }.first { images[$0] != nil }
        let artworkSVG = artwork.flatMap { $0.lowercased().hasSuffix(".svg") ? images[$0] : nil }
        let problem = artwork.flatMap { path -> String? in
            guard artworkSVG == nil, let data = images[path] else { return nil }
            guard let header = ImageHeader(data) else { return "is not a PNG or JPEG that can be read" }
            return header.isComplete ? nil : "is cut short (its end is missing)"
        }
        let view = PodcastArtView(
            station: station, lines: lines.enumerated().map { .init(text: $0.element, y: top + fontSize + $0.offset * step, size: fontSize) },
            subtitle: subtitle.map { ShareCards.clip($0, 36) }, subtitle_y: top + fontSize + (lines.count - 1) * step + 64,
            artwork: artworkSVG != nil ? Self.artworkSlot : artwork.flatMap { path in images[path].map { Self.dataURL(path, $0) } },
            accent: theme.accent, accent_fg: theme.accentFg, bg: theme.bg)
        let svg = template.render(view)
        let size = artwork != nil && artworkSVG == nil ? Self.photoSize : Self.size
        var hash = Fingerprint()
        hash.add("podcast cover 1")
        hash.add(SVGRasterizer.version)
        hash.add("\(size) \(Self.compression.rawValue)")
        hash.add("\(Self.artworkPixels)")
        hash.add(svg)
        if let artworkSVG { hash.addBytes(artworkSVG) }
        let name = String(hash.value, radix: 16)
        return .rendered(
            path: "\(show.url)podcast-\(String(repeating: "0", count: 16 - name.count))\(name).png",
            drawing: Drawing(svg: svg, artworkSVG: artworkSVG, artworkPath: artwork, show: show.title, artworkProblem: problem, size: size))
    }

    /// Renders a cover to PNG bytes (an SVG artwork to PNG first). Errors name the artwork or the
    /// template (`images/...` or `podcast.svg`; the build puts the folder in front).
    static func png(_ drawing: Drawing) throws(ContentError) -> Data {
        if let problem = drawing.artworkProblem, let path = drawing.artworkPath {
            throw ContentError(
                path: path, message: "\(problem), so it cannot be drawn on the podcast cover of '\(drawing.show)'; export it again as PNG or JPEG")
        }
        var svg = drawing.svg
        if let artworkSVG = drawing.artworkSVG {
            do {
                svg = try SVGTemplate.inlining(svg, slot: artworkSlot, image: artworkSVG, pixels: artworkPixels)
            } catch {
                throw ContentError(
                    path: drawing.artworkPath ?? templateFile,
                    message: "cannot be drawn on the podcast cover of '\(drawing.show)' (\(error)); fix the SVG, or give the show a PNG or JPEG image"
                )
            }
        }
        do {
            return try SVGRasterizer.png(svg: Data(svg.utf8), width: drawing.size, height: drawing.size, compression: compression)
        } catch {
            throw ContentError(path: templateFile, message: "the podcast cover of '\(drawing.show)' cannot be rendered (\(error))")
        }
    }

    private static func dataURL(_ path: String, _ data: Data) -> String {
        let mime = path.lowercased().hasSuffix(".png") ? "image/png" : "image/jpeg"
        return "data:\(mime);base64,\(data.base64EncodedString())"
    }
}

/// What `podcast.svg` sees.
struct PodcastArtView {
    typealias Line = CardView.Line
    var station: String
    var lines: [Line]
    var subtitle: String?
    var subtitle_y: Int
    var artwork: String?
    var accent: String
    var accent_fg: String
    var bg: String
}
