import Foundation
import SVGRender
import StationKit

/// The share cards (`og:image`): a 1200×630 PNG per page that has its own (the home page, the
/// list pages, every show and page, the latest posts), made from `Templates/card.svg` filled in
/// with Mustache (text XML-escaped) and rendered by librsvg. A card's file is named after a hash
/// of its filled-in SVG and the renderer (`/cards/<hash>.png`), so a page knows its card's address
/// without rendering it, and a card whose file is already published is kept, not rendered again.
struct ShareCards: Sendable {
    static let width = 1200
    static let height = 630
    /// Where the template lives, under the templates folder.
    static let templateFile = "card.svg"

    struct Card: Sendable, Hashable {
        /// Site path: `/cards/0123456789abcdef.png`.
        var path: String
        var svg: String
        /// An SVG artwork, drawn to a PNG of `artworkPixels` first (`SVGTemplate.inlining`); its
        /// address in `svg` is `artworkSlot`.
        var artworkSVG: Data? = nil
        /// Alternative text for `og:image:alt`.
        var alt: String
    }

    /// Colours read from the theme (`Templates/assets/site.css`'s first `:root`), with OnAir's defaults.
    struct Theme: Sendable {
        var accent = "#0b6e75", bg = "#f6f4ef", fg = "#14202a", muted = "#5b6872"
        /// Text on the accent colour.
        var accentFg = "#ffffff"

        init(css: String?) {
            guard let css else { return }
            func value(_ name: String) -> String? {
                guard let range = css.range(of: "--\(name):") else { return nil }
                let rest = css[range.upperBound...].prefix { $0 != ";" && $0 != "}" }.trimmingCharacters(in: .whitespaces)
                // Only plain colours: the value goes into an SVG attribute.
                return rest.allSatisfy { $0.isLetter || $0.isNumber || "#(),. %".contains($0) } && !rest.isEmpty ? rest : nil
            }
            accent = value("accent") ?? accent; bg = value("bg") ?? bg; fg = value("fg") ?? fg; muted = value("muted") ?? muted
            accentFg = value("accent-fg") ?? accentFg
        }
    }

    /// Twice the artwork's box in `card.svg` (320 units): sharp in a template with a bigger box too.
    static let artworkPixels = 640
    static let artworkSlot = "onair:card-artwork"

    let template: SVGTemplate
    let theme: Theme
    let station: String
    let host: String
    /// `data:` URLs of the content's images, by content path (`images/logo.svg`).
    let images: [String: String]
    /// The SVG images' bytes, by content path.
    let svgImages: [String: Data]
    let defaultArtwork: String?

    /// nil when the templates have no `card.svg` (pages then point `og:image` at the artwork).
    static func load(templatesURL: URL, templatesPath: String, profile: StationProfile, files: [String: Data])
        -> Result<ShareCards, ContentErrors>?
    {
        switch SVGTemplate.load(templateFile, templatesURL: templatesURL, templatesPath: templatesPath) {
        case nil: return nil
        case .failure(let errors): return .failure(errors)
        case .success(let template):
            let host = profile.baseURL.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: "")
            return .success(
                ShareCards(
                    template: template, theme: Theme(css: files["assets/site.css"].map { String(decoding: $0, as: UTF8.self) }),
                    station: profile.name, host: host, images: SVGTemplate.imageURLs(files),
                    svgImages: files.filter { $0.key.hasPrefix("images/") && $0.key.lowercased().hasSuffix(".svg") },
                    defaultArtwork: profile.artwork))
        }
    }

    /// The card of a page: `title` in large type (wrapped to at most three lines), `subtitle`
    /// below it, `image` (a content path) on the right, the station's artwork when it has none.
    func card(title: String, subtitle: String?, image: String?) -> Card {
        let lines = Self.wrap(title)
        let size = lines.count > 2 ? 56 : 68
        let lineViews = lines.enumerated().map { CardView.Line(text: $0.element, y: 250 + $0.offset * (size + 14), size: size) }
        let artwork = [image, defaultArtwork].compactMap { $0 }.first { images[$0] != nil }
        let artworkSVG = artwork.flatMap { svgImages[$0] }
        let view = CardView(
            station: station, lines: lineViews, subtitle: subtitle.map { Self.clip($0, 52) },
            subtitle_y: 250 + lines.count * (size + 14) + 24, host: host,
            artwork: artworkSVG != nil ? Self.artworkSlot : artwork.flatMap { images[$0] },
            accent: theme.accent, bg: theme.bg, fg: theme.fg, muted: theme.muted)
        let svg = template.render(view)
        var hash = Fingerprint()
        hash.add("card 2 \(Self.artworkPixels)")
        hash.add(SVGRasterizer.version)
        hash.add(svg)
        if let artworkSVG { hash.addBytes(artworkSVG) }
        let name = String(hash.value, radix: 16)
        return Card(
            path: "/cards/" + String(repeating: "0", count: 16 - name.count) + name + ".png", svg: svg, artworkSVG: artworkSVG,
            alt: subtitle.map { "\(title) – \($0)" } ?? title)
    }

    /// Renders `card` to PNG bytes (an SVG artwork to PNG first, so it is sharp). An artwork
    /// librsvg cannot read is left off the card rather than failing it: the template is not at
    /// fault, and the podcast cover names the image when it needs it.
    static func png(_ card: Card) throws(SVGRenderError) -> Data {
        var svg = card.svg
        if let artworkSVG = card.artworkSVG {
            do {
                svg = try SVGTemplate.inlining(svg, slot: artworkSlot, image: artworkSVG, pixels: artworkPixels)
            } catch {
                svg = svg.replacingOccurrences(of: artworkSlot, with: "")
            }
        }
        return try SVGRasterizer.png(svg: Data(svg.utf8), width: width, height: height)
    }

    /// Words onto lines of about `width` characters, at most three; the last one ends in "…" when cut.
    static func wrap(_ text: String, width: Int = 24, maxLines: Int = 3) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            let piece = word.count > width ? clip(word, width) : word
            if current.isEmpty {
                current = piece
            } else if current.count + 1 + piece.count <= width {
                current += " " + piece
            } else {
                lines.append(current); current = piece
            }
        }
        if !current.isEmpty { lines.append(current) }
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines))
            lines[maxLines - 1] = clip(lines[maxLines - 1] + " …", width)
        }
        return lines.isEmpty ? [""] : lines
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}

/// What `card.svg` sees.
struct CardView {
    struct Line { var text: String; var y: Int; var size: Int }
    var station: String
    var lines: [Line]
    var subtitle: String?
    var subtitle_y: Int
    var host: String
    var artwork: String?
    var accent: String
    var bg: String
    var fg: String
    var muted: String
}
