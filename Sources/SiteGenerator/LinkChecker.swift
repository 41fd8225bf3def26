import Foundation
import StationKit

/// Step 6: every internal `href`/`src` in the rendered HTML must name a file of the new site
/// (each page is scanned as it is rendered; nothing waits in memory for this step).
/// Links from Markdown were checked (with their lines) when the bodies were rendered, so what is
/// left here comes from the templates: the error names the template line that holds the link.
struct LinkChecker: Sendable {
    /// Every site-relative file the new site has (`index.html`, `news/x/index.html`, `feed.xml`).
    var files: Set<String>
    var templateSources: [String: String]
    var templatesPath: String

    /// The internal link targets on one page that name no file of the site.
    func brokenTargets(in data: Data) -> [String] {
        Self.links(in: data).compactMap { raw -> String? in
            let link = raw.utf8.contains(UInt8(ascii: "&")) ? Escaping.replacing("&amp;", with: "&", in: raw) : raw
            guard link.hasPrefix("/"), !link.hasPrefix("//") else { return nil }
            let target = LinkRewriter.pathOnly(link)
            return LinkRewriter.isProxied(target) || resolves(target) ? nil : target
        }
    }

    /// One error per broken target, naming the template line that holds it and the pages it is on.
    func errors(brokenPerPage: [(String, [String])]) -> [ContentError] {
        var broken: [String: Set<String>] = [:]
        for (path, targets) in brokenPerPage {
            for target in targets { broken[target, default: []].insert("/" + path) }
        }
        return broken.keys.sorted().map { target in
            let pages = broken[target, default: []].sorted()
            let where_ = locate(target)
            return ContentError(path: where_?.0 ?? templatesPath, line: where_?.1,
                                message: "broken internal link '\(target)' (on \(pages.first ?? "")\(pages.count > 1 ? " and \(pages.count - 1) more pages" : ""); the site has no such file)")
        }
    }

    /// The values of every `href="..."` and `src="..."` in the page, in order (what the pattern
    /// `(?:href|src)="([^"]*)"` matches, scanned over the bytes).
    static func links(in data: Data) -> [String] {
        data.withUnsafeBytes { raw -> [String] in
            let bytes = raw.bindMemory(to: UInt8.self)
            let quote = UInt8(ascii: "\"")
            func hasPrefix(_ prefix: StaticString, at index: Int) -> Bool {
                let count = prefix.utf8CodeUnitCount
                guard index + count <= bytes.count else { return false }
                let start = prefix.utf8Start
                for offset in 0..<count where bytes[index + offset] != start[offset] { return false }
                return true
            }
            var links: [String] = []
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                var valueStart = -1
                if byte == UInt8(ascii: "h"), hasPrefix("href=\"", at: index) { valueStart = index + 6 }
                else if byte == UInt8(ascii: "s"), hasPrefix("src=\"", at: index) { valueStart = index + 5 }
                guard valueStart >= 0 else { index += 1; continue }
                var end = valueStart
                while end < bytes.count, bytes[end] != quote { end += 1 }
                guard end < bytes.count else { break }
                links.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<end]), as: UTF8.self))
                index = end + 1
            }
            return links
        }
    }

    func resolves(_ target: String) -> Bool {
        let decoded = target.utf8.contains(UInt8(ascii: "%")) ? target.removingPercentEncoding ?? target : target
        let relative = String(decoded.dropFirst())
        if relative.isEmpty || relative.hasSuffix("/") { return files.contains(relative + "index.html") }
        return files.contains(relative) || files.contains(relative + "/index.html")
    }

    /// The first template line that contains the link.
    private func locate(_ target: String) -> (String, Int)? {
        for path in templateSources.keys.sorted() {
            let lines = templateSources[path, default: ""].split(separator: "\n", omittingEmptySubsequences: false)
            if let index = lines.firstIndex(where: { $0.contains("\"\(target)") }) { return (path, index + 1) }
        }
        return nil
    }
}
