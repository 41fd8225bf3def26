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

    /// Rewrites every link the pattern `(!?)\[([^\]]*)\]\(\s*<?([^)\s>]*)>?((?:\s+"[^"]*")?)\s*\)` matches
    /// (`LinkScanner` finds them in one pass over the UTF-8 bytes; the rest of the text is copied).
    func rewrite(_ document: SourceDocument) -> (String, [ContentError]) {
        var body = document.body
        return body.withUTF8 { bytes -> (String, [ContentError]) in
            var result: [UInt8] = []
            var errors: [ContentError] = []
            var cursor = 0
            var line = document.bodyLine, lineCounted = 0
            LinkScanner(bytes: bytes).forEachLink { link in
                for index in lineCounted..<link.start where bytes[index] == UInt8(ascii: "\n") { line += 1 }
                lineCounted = link.start
                if result.isEmpty { result.reserveCapacity(bytes.count + 256) }
                result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor..<link.start]))
                cursor = link.end
                let target = String(decoding: UnsafeBufferPointer(rebasing: bytes[link.target]), as: UTF8.self)
                switch resolve(target, isImage: link.isImage, from: document.relativePath) {
                case .keep:
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[link.start..<link.end]))
                case .rewrite(let url):
                    if link.isImage { result.append(UInt8(ascii: "!")) }
                    result.append(UInt8(ascii: "["))
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[link.text]))
                    result.append(contentsOf: Array("](\(url)".utf8))
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[link.title]))
                    result.append(UInt8(ascii: ")"))
                case .broken(let message):
                    errors.append(ContentError(path: document.displayPath, line: line, message: message))
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[link.start..<link.end]))
                }
            }
            guard cursor > 0 else { return (document.body, errors) }
            result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor...]))
            return (String(decoding: result, as: UTF8.self), errors)
        }
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

    /// `/stream/...` is Icecast behind nginx, `/api/` the optional service, `/recordings/` onaird's
    /// recordings folder (nginx alias): not files of the site.
    static func isProxied(_ path: String) -> Bool {
        path.hasPrefix("/stream/") || path.hasPrefix("/api/") || path == "/nowplaying.json"
            || path.hasPrefix(RecordingsFolder.sitePath)
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
        // Found over the bytes; only where a `?`/`#` is followed by a non-ASCII byte (which might
        // extend it into another Character) is it left to Character comparison.
        let utf8 = target.utf8
        guard let cut = utf8.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) else { return target }
        let next = utf8.index(after: cut)
        guard next == utf8.endIndex || utf8[next] < 0x80 else { return String(target.prefix { $0 != "?" && $0 != "#" }) }
        return String(target[..<cut])
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
