import Foundation
import StationKit

/// `onair build`: Content/ + Templates/ -> site/, as a pipeline of named steps. Every content error
/// of a run is collected and thrown together; on any error the output folder is not touched.
public struct SiteBuilder: Sendable {
    public var options: BuildOptions
    /// Receives the pipeline log (`[1/7] Load content`).
    public var log: @Sendable (String) -> Void

    public init(options: BuildOptions, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options; self.log = log
    }

    public struct Summary: Sendable {
        /// Site-relative paths written (new or changed), and removed.
        public var written: [String]
        public var removed: [String]
        public var unchanged: Int
        public var files: Int
        /// The reference "now" the build used.
        public var now: Date
        /// Pages this build rendered; the others were kept as published (their inputs are unchanged).
        public var rendered: [String] = []
    }

    static let steps = ["Load content", "Load templates", "Read assets and images", "Render Markdown",
                        "Render pages and feeds", "Check links", "Publish"]

    private func step(_ number: Int) {
        log("[\(number)/\(Self.steps.count)] \(Self.steps[number - 1])")
    }

    public func run() throws(ContentErrors) -> Summary {
        // Before anything is read or written: a build never replaces what it did not publish.
        if options.write, let refusal = PublishedFiles.refusal(options) { throw ContentErrors([refusal]) }
        // Nothing changed since the last successful build (inputs, options, day, onair, published files): done.
        var measured = options.write ? BuildManifest.inputsAndStamps(options) : nil
        let inputs = measured?.inputs
        if let inputs, let last = BuildManifest.read(from: options.outputURL), last.inputs == inputs,
           last.outputs == BuildManifest.outputs(options.outputURL) {
            log("      0 written, \(last.files) unchanged, 0 removed (nothing changed since the last build)")
            return Summary(written: [], removed: [], unchanged: last.files, files: last.files, now: last.now)
        }
        step(1)
        var errors: [ContentError] = []
        var loadedContent: StationContent?
        var loader = ContentLoader(contentURL: options.contentURL, contentPath: options.contentPath)
        // A build that publishes takes unchanged files' front matter from the last one.
        let previousContent = options.write ? ContentCache.read(for: options.outputURL, contentURL: options.contentURL) : ContentCache()
        loader.cache = previousContent
        loader.stamps = Dictionary(measured?.content ?? [], uniquingKeysWith: { first, _ in first })
        measured = nil
        let nextContent: ContentCache
        (loadedContent, errors, nextContent) = loader.loadCaching()
        loader = ContentLoader(contentURL: options.contentURL, contentPath: options.contentPath)  // its stamps and cache go now
        if var loaded = loadedContent, let base = options.baseURL {
            var trimmed = base
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            loaded.profile.baseURL = trimmed
            loadedContent = loaded
        }

        step(2)
        var templates: TemplateSet?
        switch TemplateSet.load(from: options.templatesURL, displayPath: options.templatesPath) {
        case .success(let loaded): templates = loaded
        case .failure(let failure): errors += failure.errors
        }

        step(3)
        var staticFiles: [String: Data] = [:]
        let assets = readTree(options.templatesURL.appendingPathComponent("assets"), into: "assets", &staticFiles, &errors)
        if loadedContent != nil {
            _ = readTree(options.contentURL.appendingPathComponent("images"), into: "images", &staticFiles, &errors)
        }
        let assetVersion = Self.hash(assets)
        var cards: ShareCards?
        if let profile = loadedContent?.profile {
            switch ShareCards.load(templatesURL: options.templatesURL, templatesPath: options.templatesPath, profile: profile,
                                   files: staticFiles) {
            case .success(let loaded): cards = loaded
            case .failure(let failure): errors += failure.errors
            case nil: break
            }
        }

        var strings = Strings.english
        if let profile = loadedContent?.profile {
            switch Strings.load(templatesURL: options.templatesURL, templatesPath: options.templatesPath, language: profile.language) {
            case .success(let loaded): strings = loaded
            case .failure(let failure): errors += failure.errors
            case nil: break
            }
        }

        guard var content = loadedContent else { throw ContentErrors(errors) }
        loadedContent = nil
        // The Markdown texts leave the content: each is dropped as soon as its body is rendered.
        let documents = DocumentQueue(content.sources.values.sorted { $0.relativePath < $1.relativePath })
        for path in content.sources.keys { content.sources[path]?.body = "" }
        for index in content.posts.indices { content.posts[index].body = "" }
        for index in content.pages.indices { content.pages[index].body = "" }
        for index in content.shows.indices { content.shows[index].body = "" }
        let now = options.now ?? content.schedule.instant(content.schedule.localDate(of: options.clock), TimeOfDay(minutes: 0))
        step(4)
        let renderer = SiteRenderer(content: content, templates: templates ?? TemplateSet(library: .init(), templatesPath: "", sources: [:]),
                                    now: now, assetVersion: assetVersion, staticPaths: staticFiles.keys.map { "/" + $0 },
                                    cards: cards, api: options.api,
                                    appManifest: AppManifest(profile: content.profile, files: staticFiles,
                                                             theme: ShareCards.Theme(css: staticFiles["assets/site.css"].map { String(decoding: $0, as: UTF8.self) })),
                                    strings: strings)
        var siteFiles = renderer.renderedFiles
        let staticOnly = staticFiles.keys.filter { !siteFiles.contains($0) }.sorted()
        siteFiles.formUnion(staticOnly)
        let checker = LinkChecker(files: siteFiles, templateSources: renderer.templates.sources, templatesPath: options.templatesPath)
        let stage = options.write ? SiteStage(outputURL: options.outputURL) : nil
        let count = FileCount()
        let keys = PageKeys()
        // A build that publishes reuses what the last one rendered (bodies and pages whose inputs are the same).
        let pipeline = PagePipeline(templates: renderer.templates, checker: checker, output: stage.map { $0 as any SiteOutput } ?? count,
                                    cache: stage == nil ? nil : PageCache.read(for: options.outputURL),
                                    outputPath: options.outputURL.path, keys: keys)
        // Each post's page is rendered on the thread that rendered its body, right after it (the
        // body is still hot, and the posts' pages never wait in memory for a second pass).
        let early = PageResults()
        let postsByURL = Dictionary(content.posts.map { ($0.url, $0) }) { first, _ in first }
        let previousBodies = options.write ? BodyCache.read(for: options.outputURL) : BodyCache()
        let renderPosts = errors.isEmpty && templates != nil
        let (bodiesResult, nextBodies, bodyKeys) = renderer.renderBodies(documents, cache: previousBodies) { document, html, key in
            guard renderPosts, let article = postsByURL[document.url] else { return }
            early.append(pipeline.run(renderer.postPage(article, html: html, key: key)), url: article.url)
        }
        var bodies: [String: String] = [:]
        switch bodiesResult {
        case .success(let rendered): bodies = rendered
        case .failure(let failure): errors += failure.errors
        }
        guard errors.isEmpty, templates != nil else {
            stage?.discard()
            throw ContentErrors(errors)
        }

        step(5)
        var brokenPerPage = early.results
        let feedItems = FeedItems()
        do {
            let made = renderer.pagesAndPosts(bodies: bodies, bodyKeys: bodyKeys, skippingPosts: early.urls)
            brokenPerPage += try renderer.render(made.pages, bodies: bodies, bodyKeys: bodyKeys, posts: made.posts, pipeline: pipeline,
                                                 previousFeed: stage == nil ? nil : FeedIndex.published(in: options.outputURL),
                                                 feedItems: feedItems)
        } catch {
            stage?.discard()
            throw ContentErrors([ContentError(path: options.outputURL.path, message: "cannot encode schedule.json (\(error))")])
        }
        let cardErrors = renderer.renderImages(into: stage.map { $0 as any SiteOutput } ?? count,
                                              outputPath: stage == nil ? nil : options.outputURL.path)
        guard cardErrors.isEmpty else {
            stage?.discard()
            throw ContentErrors(cardErrors.map { error in
                ContentError(path: error.path == ShareCards.templateFile ? "\(options.templatesPath)/\(error.path)" : "\(options.contentPath)/\(error.path)",
                             message: error.message)
            })
        }
        for path in staticOnly {
            guard let data = staticFiles[path] else { continue }
            if path.hasSuffix(".html") { brokenPerPage.append((path, checker.brokenTargets(in: data))) }
            stage?.put(path, data)
            count.put(path, data)
        }

        step(6)
        let linkErrors = checker.errors(brokenPerPage: brokenPerPage)
        guard linkErrors.isEmpty else {
            stage?.discard()
            throw ContentErrors(linkErrors)
        }

        step(7)
        guard let stage else {
            log("      check only: \(count.files) files would be written, nothing changed")
            return Summary(written: [], removed: [], unchanged: 0, files: count.files, now: now)
        }
        do {
            let files = stage.files
            let report = try stage.publish()
            let stamps = stage.stamps
            // The caches (tens of megabytes of bodies for a big news folder) are written beside
            // the manifest, each on its own; each is checked against the files when it is read.
            let outputURL = options.outputURL, contentURL = options.contentURL
            let cachesWritten = DispatchGroup()
            DispatchQueue.global().async(group: cachesWritten) { nextBodies?.write(for: outputURL, over: previousBodies) }
            DispatchQueue.global().async(group: cachesWritten) {
                keys.cache(stamps: stamps).write(for: outputURL)
                if let items = feedItems.items, let stamp = stamps["feed.xml"] { FeedIndex(stamp: stamp, items: items).write(for: outputURL) }
            }
            DispatchQueue.global().async(group: cachesWritten) {
                if nextContent.entries != previousContent.entries { nextContent.write(for: outputURL, contentURL: contentURL) }
            }
            defer { cachesWritten.wait() }
            if let inputs {
                BuildManifest(inputs: inputs, outputs: BuildManifest.outputs(stamps: stamps), files: files, now: now)
                    .write(to: options.outputURL)
            }
            log("      \(report.written.count) written, \(report.unchanged) unchanged, \(report.removed.count) removed")
            return Summary(written: report.written, removed: report.removed, unchanged: report.unchanged, files: files, now: now,
                           rendered: keys.rendered)
        } catch {
            throw ContentErrors([ContentError(path: error.path, message: error.reason)])
        }
    }

    /// Reads every regular file under `root` (no dotfiles) into `files["prefix/relative"]`.
    private func readTree(_ root: URL, into prefix: String, _ files: inout [String: Data], _ errors: inout [ContentError]) -> [(String, Data)] {
        let fileManager = FileManager.default
        let base = root.standardizedFileURL.path
        guard let enumerator = fileManager.enumerator(atPath: base) else { return [] }
        var read: [(String, Data)] = []
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }),
                  fileManager.fileExists(atPath: base + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            guard let data = fileManager.contents(atPath: base + "/" + relative) else {
                errors.append(ContentError(path: "\(prefix)/\(relative)", message: "cannot read the file"))
                continue
            }
            files["\(prefix)/\(relative)"] = data
            read.append(("\(prefix)/\(relative)", data))
        }
        return read.sorted { $0.0 < $1.0 }
    }

    /// FNV-1a over names and bytes: a short content hash for `?v=` cache busting.
    static func hash(_ files: [(String, Data)]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) { hash ^= UInt64(byte); hash = hash &* 0x0000_0100_0000_01B3 }
        for (name, data) in files {
            name.utf8.forEach(mix); mix(0)
            data.forEach(mix); mix(0)
        }
        return String(String(hash, radix: 16).suffix(10))
    }
}
