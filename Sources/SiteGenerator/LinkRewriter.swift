import Foundation
import StationKit

/// Turns the links an editor writes in Markdown into site addresses, and reports the ones that
/// go nowhere with the line they are on:
/// - `[Night Owls](../shows/night-owls.md)` or `(shows/night-owls.md)` -> `/shows/night-owls/`
/// - `![Owl](images/owl.svg)` -> `/images/owl.svg` (the file must exist under `Content/images/`)
/// - `(/schedule/)` must be a page the site has; `https:`, `mailto:` and `#anchors` are left alone.
struct LinkRewriter: Sendable {
    /// Content-relative Markdown path (`shows/night-owls.md`) to the site path of its page.
    var pageForSource: [String: String]
    /// Every site path the build writes (`/`, `/schedule/`, `/feed.xml`, `/images/logo.svg`, ...).
    var sitePaths: Set<String>
    /// Content-relative image paths that exist (`images/logo.svg`).
    var images: Set<String>

    private static let pattern = try? NSRegularExpression(
        pattern: #"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?((?:\s+"[^"]*")?)\s*\)"#)

    func rewrite(_ document: SourceDocument) -> (String, [ContentError]) {
        guard let regex = Self.pattern else { return (document.body, []) }
        let body = document.body as NSString
        var result = ""
        var errors: [ContentError] = []
        var cursor = 0
        for match in regex.matches(in: document.body, range: NSRange(location: 0, length: body.length)) {
            let isImage = body.substring(with: match.range(at: 1)) == "!"
            let target = body.substring(with: match.range(at: 3))
            let line = document.bodyLine + body.substring(to: match.range.location).reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
            result += body.substring(with: NSRange(location: cursor, length: match.range.location - cursor))
            cursor = match.range.location + match.range.length
            let original = body.substring(with: match.range)
            switch resolve(target, isImage: isImage, from: document.relativePath) {
            case .keep:
                result += original
            case .rewrite(let url):
                result += "\(isImage ? "!" : "")[\(body.substring(with: match.range(at: 2)))](\(url)\(body.substring(with: match.range(at: 4))))"
            case .broken(let message):
                errors.append(ContentError(path: document.displayPath, line: line, message: message))
                result += original
            }
        }
        result += body.substring(from: cursor)
        return (result, errors)
    }

    enum Resolution: Equatable { case keep, rewrite(String), broken(String) }

    func resolve(_ target: String, isImage: Bool, from source: String) -> Resolution {
        if target.isEmpty { return .broken("empty link target") }
        if target.hasPrefix("#") || target.hasPrefix("//") || Self.hasScheme(target) { return .keep }
        let (path, fragment) = Self.splitFragment(target)
        if isImage {
            if let relative = Self.candidates(path, source).first(where: images.contains) { return .rewrite("/" + relative) }
            return .broken("image '\(target)' does not exist (put it under Content/images/)")
        }
        if path.hasSuffix(".md") {
            if let url = Self.candidates(path, source).lazy.compactMap({ pageForSource[$0] }).first {
                return .rewrite(url + fragment)
            }
            return .broken("broken internal link '\(target)' (no such Markdown file in Content/)")
        }
        if path.hasPrefix("/") {
            if Self.isProxied(path) || sitePaths.contains(Self.pathOnly(path)) { return .keep }
            if sitePaths.contains(Self.pathOnly(path) + "/") { return .rewrite(Self.pathOnly(path) + "/" + fragment) }
            return .broken("broken internal link '\(target)' (the site has no page at that address)")
        }
        if let relative = Self.candidates(path, source).first(where: images.contains) {
            return .rewrite("/" + relative + fragment)
        }
        return .broken("broken internal link '\(target)' (link to a .md file or a path starting with '/')")
    }

    /// `/stream/...` is Icecast behind nginx, `/api/` the optional service: not files of the site.
    static func isProxied(_ path: String) -> Bool {
        path.hasPrefix("/stream/") || path.hasPrefix("/api/") || path == "/nowplaying.json"
    }

    static func hasScheme(_ target: String) -> Bool {
        guard let colon = target.firstIndex(of: ":") else { return false }
        let scheme = target[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    static func splitFragment(_ target: String) -> (String, String) {
        guard let hash = target.firstIndex(of: "#") else { return (target, "") }
        return (String(target[..<hash]), String(target[hash...]))
    }

    /// The path without `?query` and `#fragment`.
    static func pathOnly(_ target: String) -> String {
        String(target.prefix { $0 != "?" && $0 != "#" })
    }

    /// Where a relative link may point: next to the source first, then from `Content/` itself.
    static func candidates(_ path: String, _ source: String) -> [String] {
        [normalize(path, relativeTo: source), normalize(path, relativeTo: "")].compactMap { $0 }
    }

    /// Resolves a link written in `source` (content-relative) to a content-relative path.
    /// Paths are tried relative to the source's folder, then to `Content/` itself.
    static func normalize(_ path: String, relativeTo source: String) -> String? {
        let decoded = path.removingPercentEncoding ?? path
        if decoded.hasPrefix("/") { return collapse(String(decoded.dropFirst()).split(separator: "/").map(String.init)) }
        let folder = source.split(separator: "/").dropLast().map(String.init)
        return collapse(folder + decoded.split(separator: "/").map(String.init))
    }

    private static func collapse(_ parts: [String]) -> String? {
        var stack: [String] = []
        for part in parts {
            switch part {
            case "", ".": continue
            case "..": if stack.isEmpty { return nil }; stack.removeLast()
            default: stack.append(part)
            }
        }
        return stack.joined(separator: "/")
    }
}
