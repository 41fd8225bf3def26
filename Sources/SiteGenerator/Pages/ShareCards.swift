import Foundation
import Mustache
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
        /// Alternative text for `og:image:alt`.
        var alt: String
    }

    /// Colours read from the theme (`Templates/assets/site.css`'s first `:root`), with OnAir's defaults.
    struct Theme: Sendable {
        var accent = "#0b6e75", bg = "#f6f4ef", fg = "#14202a", muted = "#5b6872"

        init(css: String?) {
            guard let css else { return }
            func value(_ name: String) -> String? {
                guard let range = css.range(of: "--\(name):") else { return nil }
                let rest = css[range.upperBound...].prefix { $0 != ";" && $0 != "}" }.trimmingCharacters(in: .whitespaces)
                // Only plain colours: the value goes into an SVG attribute.
                return rest.allSatisfy { $0.isLetter || $0.isNumber || "#(),. %".contains($0) } && !rest.isEmpty ? rest : nil
            }
            accent = value("accent") ?? accent; bg = value("bg") ?? bg; fg = value("fg") ?? fg; muted = value("muted") ?? muted
        }
    }

    let template: MustacheTemplate
    let theme: Theme
    let station: String
    let host: String
    /// `data:` URLs of the content's images, by content path (`images/logo.svg`).
    let images: [String: String]
    let defaultArtwork: String?

    /// nil when the templates have no `card.svg` (pages then point `og:image` at the artwork).
    static func load(templatesURL: URL, templatesPath: String, profile: StationProfile, files: [String: Data])
        -> Result<ShareCards, ContentErrors>?
    {
        let url = templatesURL.appendingPathComponent(templateFile)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let template: MustacheTemplate
        do {
            let text = try SourceFile.read(url, displayPath: "\(templatesPath)/\(templateFile)").text
            template = try MustacheTemplate(string: text)
        } catch let error as ContentError {
            return .failure(ContentErrors([error]))
        } catch {
            return .failure(ContentErrors([ContentError(path: "\(templatesPath)/\(templateFile)", message: "template syntax error: \(error)")]))
        }
        var images: [String: String] = [:]
        for (path, data) in files where path.hasPrefix("images/") {
            let mime: String? =
                switch (path as NSString).pathExtension.lowercased() {
                case "svg": "image/svg+xml"
                case "png": "image/png"
                case "jpg", "jpeg": "image/jpeg"
                default: nil
                }
            if let mime { images[path] = "data:\(mime);base64,\(data.base64EncodedString())" }
        }
        let host = profile.baseURL.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: "")
        return .success(
            ShareCards(
                template: template, theme: Theme(css: files["assets/site.css"].map { String(decoding: $0, as: UTF8.self) }),
                station: profile.name, host: host, images: images, defaultArtwork: profile.artwork))
    }

    /// The card of a page: `title` in large type (wrapped to at most three lines), `subtitle`
    /// below it, `image` (a content path) on the right, the station's artwork when it has none.
    func card(title: String, subtitle: String?, image: String?) -> Card {
        let lines = Self.wrap(title)
        let size = lines.count > 2 ? 56 : 68
        let lineViews = lines.enumerated().map { CardView.Line(text: $0.element, y: 250 + $0.offset * (size + 14), size: size) }
        let view = CardView(
            station: station, lines: lineViews, subtitle: subtitle.map { Self.clip($0, 52) },
            subtitle_y: 250 + lines.count * (size + 14) + 24, host: host,
            artwork: (image ?? defaultArtwork).flatMap { images[$0] } ?? defaultArtwork.flatMap { images[$0] },
            accent: theme.accent, bg: theme.bg, fg: theme.fg, muted: theme.muted)
        let svg = template.render(view)
        var hash = Fingerprint()
        hash.add("card 1")
        hash.add(SVGRasterizer.version)
        hash.add(svg)
        let name = String(hash.value, radix: 16)
        return Card(
            path: "/cards/" + String(repeating: "0", count: 16 - name.count) + name + ".png", svg: svg,
            alt: subtitle.map { "\(title) – \($0)" } ?? title)
    }

    /// Renders `card` to PNG bytes.
    static func png(_ card: Card) throws(SVGRenderError) -> Data {
        try SVGRasterizer.png(svg: Data(card.svg.utf8), width: width, height: height)
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
