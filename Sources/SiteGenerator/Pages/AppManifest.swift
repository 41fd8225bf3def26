import Foundation
import SVGRender
import StationKit

/// "Add to home screen": `manifest.webmanifest` and the station's icon as PNG (192 and 512 px),
/// rendered with librsvg from the artwork when it is an SVG, else from a plain tile with the
/// station's initial in the theme's accent colour.
struct AppManifest: Sendable {
    static let sizes = [192, 512]
    static let files = ["/manifest.webmanifest"] + sizes.map { "/icons/icon-\($0).png" }

    var profile: StationProfile
    /// The icon's SVG source.
    var iconSVG: Data
    var themeColor: String
    var backgroundColor: String

    init(profile: StationProfile, files: [String: Data], theme: ShareCards.Theme) {
        self.profile = profile
        themeColor = theme.accent
        backgroundColor = theme.bg
        if let artwork = profile.artwork, artwork.lowercased().hasSuffix(".svg"), let data = files[artwork] {
            iconSVG = data
        } else {
            let initial = Escaping.xml(String(profile.name.prefix(1)).uppercased())
            iconSVG = Data(
                """
                <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="96" fill="\(theme.accent)"/>\
                <text x="256" y="340" text-anchor="middle" font-family="DejaVu Sans" font-weight="bold" font-size="260" fill="#ffffff">\(initial)</text></svg>
                """.utf8)
        }
    }

    /// The manifest: opens the player (`/`) standalone.
    func manifest() -> Data {
        struct Icon: Encodable { var src: String; var sizes: String; var type: String; var purpose: String }
        struct Manifest: Encodable {
            var name: String; var short_name: String; var description: String; var lang: String
            var start_url: String; var scope: String; var display: String
            var background_color: String; var theme_color: String; var icons: [Icon]
        }
        let document = Manifest(
            name: profile.name, short_name: String(profile.name.prefix(12)),
            description: profile.tagline, lang: profile.language, start_url: "/", scope: "/",
            display: "standalone", background_color: backgroundColor, theme_color: themeColor,
            icons: Self.sizes.map { Icon(src: "/icons/icon-\($0).png", sizes: "\($0)x\($0)", type: "image/png", purpose: "any") })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// The icons, by site-relative file.
    func icons() throws(SVGRenderError) -> [(String, Data)] {
        var made: [(String, Data)] = []
        for size in Self.sizes { made.append(("icons/icon-\(size).png", try SVGRasterizer.png(svg: iconSVG, width: size, height: size))) }
        return made
    }
}
