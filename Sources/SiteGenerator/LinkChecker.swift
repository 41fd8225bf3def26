import Foundation
import StationKit

/// Step 6: every internal `href`/`src` in the rendered HTML must name a file of the new site.
/// Links from Markdown were checked (with their lines) when the bodies were rendered, so what is
/// left here comes from the templates: the error names the template line that holds the link.
struct LinkChecker {
    var files: [String: Data]
    var templateSources: [String: String]
    var templatesPath: String

    private static let attribute = try? NSRegularExpression(pattern: #"(?:href|src)="([^"]*)""#)

    func check() -> [ContentError] {
        guard let regex = Self.attribute else { return [] }
        var broken: [String: Set<String>] = [:]
        for (path, data) in files where path.hasSuffix(".html") {
            let html = String(decoding: data, as: UTF8.self)
            let ns = html as NSString
            for match in regex.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
                let link = ns.substring(with: match.range(at: 1)).replacingOccurrences(of: "&amp;", with: "&")
                guard link.hasPrefix("/"), !link.hasPrefix("//") else { continue }
                let target = LinkRewriter.pathOnly(link)
                if LinkRewriter.isProxied(target) || resolves(target) { continue }
                broken[target, default: []].insert("/" + path)
            }
        }
        return broken.keys.sorted().map { target in
            let pages = broken[target, default: []].sorted()
            let where_ = locate(target)
            return ContentError(path: where_?.0 ?? templatesPath, line: where_?.1,
                                message: "broken internal link '\(target)' (on \(pages.first ?? "")\(pages.count > 1 ? " and \(pages.count - 1) more pages" : ""); the site has no such file)")
        }
    }

    func resolves(_ target: String) -> Bool {
        let relative = String((target.removingPercentEncoding ?? target).dropFirst())
        if relative.isEmpty || relative.hasSuffix("/") { return files[relative + "index.html"] != nil }
        return files[relative] != nil || files[relative + "/index.html"] != nil
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
