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
        Self.links(in: data, internalOnly: true).compactMap { raw -> String? in
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
            return ContentError(
                path: where_?.0 ?? templatesPath, line: where_?.1,
                message:
                    "broken internal link '\(target)' (on \(pages.first ?? "")\(pages.count > 1 ? " and \(pages.count - 1) more pages" : ""); the site has no such file)"
            )
        }
    }

    /// The values of every `href="..."` and `src="..."` in the page, in order (what the pattern
    /// `(?:href|src)="([^"]*)"` matches, scanned over the bytes from quote to quote with `memchr`).
    /// `internalOnly` leaves out values that do not start with one `/` (no `&amp;` can change that).
    static func links(in data: Data, internalOnly: Bool = false) -> [String] {
        data.withUnsafeBytes { raw -> [String] in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return [] }
            let count = raw.count
            let quote = UInt8(ascii: "\"")
            func nextQuote(from index: Int) -> Int {
                guard index < count, let found = memchr(base + index, Int32(quote), count - index) else { return count }
                return UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
            }
            func matches(_ prefix: StaticString, endingAt end: Int, from start: Int) -> Bool {
                let length = prefix.utf8CodeUnitCount
                guard end - length >= start else { return false }
                return memcmp(base + end - length, prefix.utf8Start, length) == 0
            }
            var links: [String] = []
            var index = 0
            while true {
                // A value starts after the first quote (from `index`) that ends `href="` or `src="`
                // lying wholly at or after `index`: the pattern's first match.
                let open = nextQuote(from: index)
                guard open < count else { break }
                guard matches("href=", endingAt: open, from: index) || matches("src=", endingAt: open, from: index) else {
                    index = open + 1
                    continue
                }
                let valueStart = open + 1
                let end = nextQuote(from: valueStart)
                guard end < count else { break }
                let isInternal =
                    end - valueStart >= 1 && base[valueStart] == UInt8(ascii: "/")
                    && (end - valueStart == 1 || base[valueStart + 1] != UInt8(ascii: "/"))
                if !internalOnly || isInternal {
                    links.append(String(decoding: UnsafeBufferPointer(start: base + valueStart, count: end - valueStart), as: UTF8.self))
                }
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
