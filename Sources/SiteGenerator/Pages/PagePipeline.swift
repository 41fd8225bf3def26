import Foundation
import StationKit

/// Renders one page at a time into a `SiteOutput`, from any thread: the page through its template
/// and the layout, its internal links checked, the file handed on. With a `cache` (a build that
/// publishes), a page whose key is the one its published file was rendered from, and whose file
/// is unchanged since, is kept as it is: not rendered, not compared, not checked again (its links
/// were checked against the same site). The key covers the page's whole template context, the
/// templates, the site's file list and the `onair` executable; `keys` collects every page's key
/// for the next build's cache.
struct PagePipeline: Sendable {
    var templates: TemplateSet
    var checker: LinkChecker
    var output: any SiteOutput
    var cache: PageCache?
    var outputPath: String
    var keys: PageKeys
    private let base: Fingerprint

    init(templates: TemplateSet, checker: LinkChecker, output: any SiteOutput, cache: PageCache?, outputPath: String, keys: PageKeys) {
        self.templates = templates; self.checker = checker; self.output = output
        self.cache = templates.compiled == nil ? nil : cache
        self.outputPath = outputPath; self.keys = keys
        var base = Fingerprint()
        base.add("pages 1")
        base.add(SiteRenderer.executableStamp)
        for (name, text) in templates.sources.sorted(by: { $0.key < $1.key }) { base.add(name); base.add(text) }
        base.add(checker.files.sorted())
        self.base = base
    }

    /// Renders (or keeps) `page`; returns its file and the broken internal links on it.
    func run(_ page: SiteRenderer.Page) -> (String, [String]) {
        var made: PageContext?
        let file = SiteRenderer.file(for: page.path)
        if let cache {
            var key = base
            key.add(page.template)
            key.add(page.path)
            key.add(page.layout)
            if let pageKey = page.key {
                pageKey(&key)
            } else {
                let context = page.make()
                context.fingerprint(into: &key)
                made = context
            }
            keys.set(file, key.value)
            if let old = cache.entries[file], old.key == key.value, FileStamp(path: outputPath + "/" + file) == old.file {
                output.keep(file, stamp: old.file)
                return (file, [])
            }
        }
        keys.rendered(file)
        var context = made ?? page.make()
        context.content = templates.render(context, template: page.template)
        let html = Data((page.layout.map { templates.render(context, template: $0) } ?? context.content).utf8)
        output.put(file, html)
        return (file, checker.brokenTargets(in: html))
    }
}

/// Pages rendered on the Markdown threads, collected for the link check.
final class PageResults: Sendable {
    private let state = Locked<(results: [(String, [String])], urls: Set<String>)>(([], []))

    func append(_ result: (String, [String]), url: String) {
        state.withLock {
            $0.results.append(result); $0.urls.insert(url)
        }
    }

    var results: [(String, [String])] { state.withLock { $0.results } }
    var urls: Set<String> { state.withLock { $0.urls } }
}
