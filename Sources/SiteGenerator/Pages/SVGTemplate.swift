import Foundation
import Mustache
import SVGRender
import StationKit

/// An SVG under the templates folder that a build fills in with Mustache (text XML-escaped) and
/// renders with librsvg: the share cards' `card.svg`, the podcast covers' `podcast.svg`.
struct SVGTemplate: Sendable {
    let template: MustacheTemplate

    /// nil when the templates have no such file (what it would draw is then left out).
    static func load(_ file: String, templatesURL: URL, templatesPath: String) -> Result<SVGTemplate, ContentErrors>? {
        let url = templatesURL.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            let text = try SourceFile.read(url, displayPath: "\(templatesPath)/\(file)").text
            return .success(SVGTemplate(template: try MustacheTemplate(string: text)))
        } catch let error as ContentError {
            return .failure(ContentErrors([error]))
        } catch {
            return .failure(ContentErrors([ContentError(path: "\(templatesPath)/\(file)", message: "template syntax error: \(error)")]))
        }
    }

    func render(_ view: Any) -> String { template.render(view) }

    /// `svg` with `slot` (an image's address) replaced by `image`, an SVG drawn to a square PNG of
    /// `pixels` first: librsvg draws an SVG inside an SVG at the inner one's own size (120 px for
    /// the example's artwork) and scales that up, blurred.
    static func inlining(_ svg: String, slot: String, image: Data, pixels: Int) throws(SVGRenderError) -> String {
        let png = try SVGRasterizer.png(svg: image, width: pixels, height: pixels)
        return svg.replacingOccurrences(of: slot, with: "data:image/png;base64," + png.base64EncodedString())
    }

    /// `data:` URLs of the content's images by content path (`images/logo.svg`): librsvg draws
    /// only images the SVG carries itself.
    static func imageURLs(_ files: [String: Data]) -> [String: String] {
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
        return images
    }
}
