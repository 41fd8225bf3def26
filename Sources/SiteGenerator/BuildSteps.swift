import Foundation
import StationKit

/// The seven steps of one `onair build` and what they hand each other. Errors are collected
/// through steps 1–4 and thrown together; the output folder is only touched by step 7.
struct BuildSteps {
    let options: BuildOptions
    let cache: BuildCache
    private var errors: [ContentError] = []
    /// Problems that do not stop the build (a broken recording is skipped), printed by the builder.
    private(set) var warnings: [String] = []

    // Step 1
    private var content: StationContent?
    private var nextContent = ContentCache()
    private var previousContent = ContentCache()
    // Step 2
    private var templates: TemplateSet?
    // Step 3
    private var staticFiles: [String: Data] = [:]
    private var assetVersion = ""
    private var cards: ShareCards?
    private var podcastArt: PodcastArt?
    private var strings = Strings.english
    // Step 4
    private var renderer: SiteRenderer?
    private var stage: SiteStage?
    private let count = FileCount()
    private let keys = PageKeys()
    private var pipeline: PagePipeline?
    private var checker: LinkChecker?
    private var staticOnly: [String] = []
    private var bodies: [String: String] = [:]
    private var bodyKeys: [String: UInt64] = [:]
    private var nextBodies: BodyCache?
    private var previousBodies = BodyCache()
    private var earlyPosts = PageResults()
    private var now = Date()
    // Step 5
    private var brokenPerPage: [(String, [String])] = []
    private let feedItems = FeedItems()

    init(options: BuildOptions, cache: BuildCache) {
        self.options = options; self.cache = cache
    }

    /// 1. Station profile, shows, schedule, pages and posts; unchanged files' front matter from the cache.
    mutating func loadContent() {
        var loader = ContentLoader(contentURL: options.contentURL, contentPath: options.contentPath)
        previousContent = cache.previousContent()
        loader.cache = previousContent
        loader.stamps = cache.takeContentStamps()
        let loaded: StationContent?
        (loaded, errors, nextContent) = loader.loadCaching()
        content = loaded
        if let folder = options.recordingsFolder, content != nil {
            let recordings = RecordingsFolder(url: folder, displayPath: folder.path)
            content?.recordings = recordings
            warnings += recordings.warnings
        }
        if var loaded = content, let base = options.baseURL {
            var trimmed = base
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            loaded.profile.baseURL = trimmed
            content = loaded
        }
    }

    /// 2. The Mustache templates.
    mutating func loadTemplates() {
        switch TemplateSet.load(from: options.templatesURL, displayPath: options.templatesPath) {
        case .success(let loaded): templates = loaded
        case .failure(let failure): errors += failure.errors
        }
    }

    /// 3. Templates/assets/ and Content/images/, published as they are; the assets' hash versions their URLs.
    mutating func readAssetsAndImages() throws(ContentErrors) {
        let assets = StaticFiles.read(
            options.templatesURL.appendingPathComponent("assets"), into: "assets",
            &staticFiles, &errors)
        if content != nil {
            // Image types only, never through a link (see `ContentImages`).
            let images = ContentImages(
                root: options.contentURL.appendingPathComponent("images"),
                displayPath: options.contentPath + "/images"
            ).scan()
            errors += images.errors
            for image in images.files {
                guard let data = FileManager.default.contents(atPath: image.url.path) else {
                    errors.append(ContentError(path: options.contentPath + "/" + image.path, message: "cannot read the file"))
                    continue
                }
                staticFiles[image.path] = data
            }
        }
        assetVersion = SiteBuilder.hash(assets)
        guard let profile = content?.profile else { throw ContentErrors(errors) }
        // The share cards' and podcast covers' templates and the fixed texts in the station's language.
        switch ShareCards.load(
            templatesURL: options.templatesURL, templatesPath: options.templatesPath, profile: profile,
            files: staticFiles)
        {
        case .success(let loaded): cards = loaded
        case .failure(let failure): errors += failure.errors
        case nil: break
        }
        switch PodcastArt.load(
            templatesURL: options.templatesURL, templatesPath: options.templatesPath, profile: profile, files: staticFiles)
        {
        case .success(let loaded): podcastArt = loaded
        case .failure(let failure): errors += failure.errors
        }
        switch Strings.load(templatesURL: options.templatesURL, templatesPath: options.templatesPath, language: profile.language) {
        case .success(let loaded): strings = loaded
        case .failure(let failure): errors += failure.errors
        case nil: break
        }
    }

    /// 4. Every Markdown body to HTML (bodies of unchanged documents from the cache); each post's
    /// page is rendered on the thread that rendered its body, right after it (the body is still
    /// hot, and the posts' pages never wait in memory for a second pass).
    mutating func renderMarkdown() throws(ContentErrors) {
        guard var content else { throw ContentErrors(errors) }
        self.content = nil
        // The Markdown texts leave the content: each is dropped as soon as its body is rendered.
        let documents = DocumentQueue(content.sources.values.sorted { $0.relativePath < $1.relativePath })
        for path in content.sources.keys { content.sources[path]?.body = "" }
        for index in content.posts.indices { content.posts[index].body = "" }
        for index in content.pages.indices { content.pages[index].body = "" }
        for index in content.shows.indices { content.shows[index].body = "" }
        now = options.now ?? content.schedule.instant(content.schedule.localDate(of: options.clock), TimeOfDay(minutes: 0))
        let renderer = SiteRenderer(
            content: content, templates: templates ?? TemplateSet(library: .init(), templatesPath: "", sources: [:]),
            now: now, assetVersion: assetVersion, staticPaths: staticFiles.keys.map { "/" + $0 },
            cards: cards, podcastArt: podcastArt, api: options.api,
            appManifest: AppManifest(
                profile: content.profile, files: staticFiles,
                theme: ShareCards.Theme(css: staticFiles["assets/site.css"].map { String(decoding: $0, as: UTF8.self) })),
            strings: strings)
        self.renderer = renderer
        var siteFiles = renderer.renderedFiles
        staticOnly = staticFiles.keys.filter { !siteFiles.contains($0) }.sorted()
        siteFiles.formUnion(staticOnly)
        let checker = LinkChecker(files: siteFiles, templateSources: renderer.templates.sources, templatesPath: options.templatesPath)
        self.checker = checker
        stage = options.write ? SiteStage(outputURL: options.outputURL) : nil
        let pipeline = PagePipeline(
            templates: renderer.templates, checker: checker,
            output: stage.map { $0 as any SiteOutput } ?? count,
            cache: cache.previousPages(), outputPath: options.outputURL.path, keys: keys)
        self.pipeline = pipeline
        let early = earlyPosts
        let postsByURL = Dictionary(content.posts.map { ($0.url, $0) }) { first, _ in first }
        previousBodies = cache.previousBodies()
        let renderPosts = errors.isEmpty && templates != nil
        let (bodiesResult, next, keys) = renderer.renderBodies(documents, cache: previousBodies) { document, html, key in
            guard renderPosts, let article = postsByURL[document.url] else { return }
            early.append(pipeline.run(renderer.postPage(article, html: html, key: key)), url: article.url)
        }
        nextBodies = next
        bodyKeys = keys
        switch bodiesResult {
        case .success(let rendered): bodies = rendered
        case .failure(let failure): errors += failure.errors
        }
        guard errors.isEmpty, templates != nil else {
            stage?.discard()
            throw ContentErrors(errors)
        }
    }

    /// 5. Every page, the feeds, schedule.json, the calendar and the plain files; the static files.
    mutating func renderPagesAndFeeds() throws(ContentErrors) {
        guard let renderer, let pipeline, let checker else { throw ContentErrors(errors) }
        brokenPerPage = earlyPosts.results
        do {
            let made = renderer.pagesAndPosts(bodies: bodies, bodyKeys: bodyKeys, skippingPosts: earlyPosts.urls)
            brokenPerPage += try renderer.render(
                made.pages, bodies: bodies, bodyKeys: bodyKeys, posts: made.posts, pipeline: pipeline,
                previousFeed: stage == nil ? nil : cache.previousFeed(), feedItems: feedItems)
        } catch {
            stage?.discard()
            throw ContentErrors([ContentError(path: options.outputURL.path, message: "cannot encode schedule.json (\(error))")])
        }
        let cardErrors = renderer.renderImages(
            into: stage.map { $0 as any SiteOutput } ?? count,
            outputPath: stage == nil ? nil : options.outputURL.path)
        guard cardErrors.isEmpty else {
            stage?.discard()
            throw ContentErrors(
                cardErrors.map { error in
                    ContentError(
                        path: [ShareCards.templateFile, PodcastArt.templateFile].contains(error.path)
                            ? "\(options.templatesPath)/\(error.path)" : "\(options.contentPath)/\(error.path)",
                        message: error.message)
                })
        }
        for path in staticOnly {
            guard let data = staticFiles[path] else { continue }
            if path.hasSuffix(".html") { brokenPerPage.append((path, checker.brokenTargets(in: data))) }
            stage?.put(path, data)
            count.put(path, data)
        }
    }

    /// 6. Every internal link of every page points at a file of the site.
    func checkLinks() throws(ContentErrors) {
        guard let checker else { return }
        let linkErrors = checker.errors(brokenPerPage: brokenPerPage)
        guard linkErrors.isEmpty else {
            stage?.discard()
            throw ContentErrors(linkErrors)
        }
    }

    /// 7. The staged site replaces the published one; the cache remembers this build.
    func publish() throws(ContentErrors) -> SiteBuilder.Summary {
        guard let stage else {
            return SiteBuilder.Summary(written: [], removed: [], unchanged: 0, files: count.files, now: now)
        }
        do {
            let files = stage.files
            let report = try stage.publish()
            let stamps = stage.stamps
            cache.save(
                BuildCache.Results(
                    stamps: stamps, files: files, now: now, content: (nextContent, previousContent),
                    bodies: (nextBodies, previousBodies), pages: keys, feedItems: feedItems.items))
            return SiteBuilder.Summary(
                written: report.written, removed: report.removed, unchanged: report.unchanged, files: files,
                now: now, rendered: keys.rendered)
        } catch {
            throw ContentErrors([ContentError(path: error.path, message: error.reason)])
        }
    }
}
