import Foundation
import Markdown
import StationKit

/// Steps 3–5: Markdown bodies to HTML, pages through the templates, and the data files.
/// Each file goes to a `SiteOutput` as soon as it is rendered; the site is never held whole.
struct SiteRenderer: Sendable {
    let content: StationContent
    let templates: TemplateSet
    let now: Date
    let assetVersion: String
    /// Site paths of the copied files (`/images/logo.svg`, `/assets/site.css`).
    let staticPaths: [String]
    /// What a post page's context takes from the site besides its own arguments (the station,
    /// streams, navigation, asset version, year...): the key of a sample post's context, whose
    /// description and image are absent so the station's own description and artwork are in it.
    let postContextKey: UInt64
    /// The site-wide views of every page context, made once.
    let sharedViews: ViewBuilder.Shared
    /// The fixed texts in the station's language.
    let strings: Strings
    /// The web app manifest and icons (nil: not written).
    let appManifest: AppManifest?
    /// The cover of each podcast feed, by show slug (`podcastShows`; none without a cover).
    let podcastCovers: [String: PodcastArt.Cover]
    /// Posts on each page of the news archive (`/news/`, `/news/page/2/`, ...).
    static let postsPerNewsPage = 50

    init(
        content: StationContent, templates: TemplateSet, now: Date, assetVersion: String, staticPaths: [String],
        cards: ShareCards? = nil, podcastArt: PodcastArt? = nil, api: Bool = false, appManifest: AppManifest? = nil,
        strings: Strings = .english
    ) {
        self.appManifest = appManifest
        podcastCovers = podcastArt.map { Self.podcastCovers($0, content: content, strings: strings) } ?? [:]
        self.strings = strings
        self.content = content; self.templates = templates; self.now = now
        self.assetVersion = assetVersion; self.staticPaths = staticPaths
        var views = ViewBuilder(content: content, now: now, assetVersion: assetVersion, bodies: [:], strings: strings)
        var shared = views.makeShared()
        shared.station.api = api
        if let cards { shared.cards = Self.cards(cards, content: content, strings: strings) }
        sharedViews = shared
        views.shared = sharedViews
        var key = Fingerprint()
        views.context(title: "", description: nil, path: "/news/", kind: "post", image: nil, ogType: "article").fingerprint(into: &key)
        postContextKey = key.value
    }

    /// Posts with a share card of their own: the latest (the ones people share). A card costs about
    /// 30 ms of CPU on a cold build (librsvg, then zlib); older posts show the station's card.
    static let postsWithCards = 10

    /// The share card of each page that has its own: the home and list pages, every show and page,
    /// and the latest posts (`postsWithCards`).
    static func cards(_ cards: ShareCards, content: StationContent, strings: Strings) -> [String: ShareCards.Card] {
        let profile = content.profile
        var made: [String: ShareCards.Card] = [:]
        made["/"] = cards.card(title: profile.name, subtitle: profile.tagline.isEmpty ? nil : profile.tagline, image: nil)
        for (path, title) in [("/schedule/", strings["schedule"]), ("/shows/", strings["shows"]), ("/news/", strings["news"])] {
            made[path] = cards.card(title: title, subtitle: profile.name, image: nil)
        }
        for show in content.shows {
            made[show.url] = cards.card(title: show.title, subtitle: show.host.map { "\(strings["with"]) \($0)" }, image: show.image)
        }
        for page in content.pages { made[page.url] = cards.card(title: page.title, subtitle: nil, image: page.image) }
        for post in content.posts.prefix(min(profile.feedItems, Self.postsWithCards)) {
            made[post.url] = cards.card(title: post.title, subtitle: post.date.map(strings.dateLabel), image: post.image)
        }
        return made
    }

    /// The news archive's pages: `/news/`, then `/news/page/2/` and on.
    var newsPagePaths: [String] {
        let pages = max(1, (content.posts.count + Self.postsPerNewsPage - 1) / Self.postsPerNewsPage)
        return ["/news/"] + (pages < 2 ? [] : (2...pages).map { "/news/page/\($0)/" })
    }

    /// Every page address the site will have, known before rendering (for link checking).
    var pagePaths: [String] {
        ["/", "/schedule/", "/shows/"] + newsPagePaths + content.shows.map(\.url) + content.pages.map(\.url) + content.posts.map(\.url)
    }

    static let dataFiles =
        [
            "/feed.xml", "/schedule.json", "/schedule.ics", "/listen.m3u", "/listen.pls",
            "/sitemap.xml", "/robots.txt", "/404.html",
        ] + AppManifest.files

    var sitePaths: Set<String> { Set(pagePaths + Self.dataFiles + staticPaths) }

    /// Renders every Markdown body of `queue` (links rewritten and checked first). Errors carry file:line.
    /// A body found in `cache` under the same key (path, text, link universe, executable) is
    /// taken from there; the second result is the cache for the next build, nil if it is the same.
    /// `done` gets each body as soon as it is rendered, on the thread that rendered it: the build
    /// renders a post's page right then.
    func renderBodies(
        _ queue: DocumentQueue, cache: BodyCache = BodyCache(),
        done: (@Sendable (SourceDocument, String, UInt64) -> Void)? = nil
    )
        -> (Result<[String: String], ContentErrors>, BodyCache?, [String: UInt64])
    {
        let pageForSource = Dictionary(uniqueKeysWithValues: content.sources.values.map { ($0.relativePath, $0.url) })
            .merging(["schedule.md": "/schedule/"]) { a, _ in a }
        let rewriter = LinkRewriter(
            pageForSource: pageForSource, sitePaths: sitePaths.union(content.sources.values.map(\.url)),
            images: Set(content.images))
        var universe = Fingerprint()
        universe.add("bodies 2")
        universe.add(Self.executableStamp)
        for (source, url) in pageForSource.sorted(by: { $0.key < $1.key }) { universe.add(source); universe.add(url) }
        universe.add(rewriter.sitePaths.sorted())
        universe.add(rewriter.images.sorted())
        let base = universe
        let results = ParallelMap.map(Array(0..<queue.count)) { index -> (String, UInt64, Bool, Result<String, ContentErrors>) in
            let document = queue.take(index)
            let result = Self.body(document, base: base, cache: cache, rewriter: rewriter)
            if case .success(let html) = result.3 { done?(document, html, result.1) }
            return result
        }
        var bodies: [String: String] = [:]
        var keys: [String: UInt64] = [:]
        var errors: [ContentError] = []
        var next = BodyCache()
        // Sized once: ten thousand bodies would otherwise be rehashed into ever larger tables.
        bodies.reserveCapacity(results.count); keys.reserveCapacity(results.count); next.bodies.reserveCapacity(results.count)
        var fresh = false
        for (path, key, rendered, result) in results {
            fresh = fresh || rendered
            switch result {
            case .success(let html): bodies[path] = html; keys[path] = key; next.bodies[key] = html
            case .failure(let failure): errors += failure.errors
            }
        }
        let changed = fresh || next.bodies.count != cache.bodies.count
        return (errors.isEmpty ? .success(bodies) : .failure(ContentErrors(errors)), changed ? next : nil, keys)
    }

    /// One document's body: from `cache` under its key, or rewritten and rendered.
    private static func body(_ unread: SourceDocument, base: Fingerprint, cache: BodyCache, rewriter: LinkRewriter)
        -> (String, UInt64, Bool, Result<String, ContentErrors>)
    {
        var key = base
        key.add(unread.relativePath)
        key.add(unread.bodyDigest)
        if let html = cache.bodies[key.value] { return (unread.relativePath, key.value, false, .success(html)) }
        // A body whose front matter came from the cache is read now (its digest from the file as it is).
        let document: SourceDocument
        do { document = try unread.loadingBody() } catch { return (unread.relativePath, key.value, true, .failure(ContentErrors([error]))) }
        if document.bodyDigest != unread.bodyDigest {
            key = base
            key.add(document.relativePath)
            key.add(document.bodyDigest)
        }
        let (markdown, errors) = rewriter.rewrite(document)
        guard errors.isEmpty else { return (document.relativePath, key.value, true, .failure(ContentErrors(errors))) }
        do { return (document.relativePath, key.value, true, .success(try Markdown.html(markdown))) } catch {
            return (
                document.relativePath, key.value, true,
                .failure(
                    ContentErrors([
                        ContentError(
                            path: document.displayPath, line: document.bodyLine,
                            message: "Markdown could not be rendered (\(error))")
                    ]))
            )
        }
    }

    /// The running `onair` and the Discount library it loaded (size, time, inode): a new build of
    /// either renders everything anew.
    static let executableStamp: String = {
        let maps = (try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8)) ?? ""
        let libraries = Set(
            maps.split(separator: "\n").compactMap { line -> String? in
                guard line.contains("libmarkdown"), let slash = line.firstIndex(of: "/") else { return nil }
                return String(line[slash...])
            })
        var stamps: [String] = []
        for path in ["/proc/self/exe"] + libraries.sorted() {
            guard let stamp = FileStamp(path: path) else { return "unknown \(UInt64.random(in: 0...UInt64.max))" }
            stamps.append("\(stamp.size) \(stamp.mtime) \(stamp.inode)")
        }
        return stamps.joined(separator: " ")
    }()

    /// A page to render: which template, and its context (made when the page is rendered, so
    /// ten thousand contexts never wait in memory together).
    struct Page: Sendable {
        var path: String
        var template: String
        /// The template the page is put into (`layout`); nil: the page template is the whole document.
        var layout: String? = "layout"
        var make: @Sendable () -> PageContext
        /// Feeds the page's key without making its context, when that is known to determine the
        /// context (a post page: see `postPage`); nil keys the page by its whole context.
        var key: (@Sendable (inout Fingerprint) -> Void)?
        init(path: String, template: String, context: @escaping @Sendable () -> PageContext) {
            self.path = path; self.template = template; make = context
        }
        init(path: String, template: String, context: PageContext) {
            self.init(path: path, template: template) { context }
        }
    }

    /// Every page; `skippingPosts` leaves out the posts (by URL) rendered already.
    /// `bodyKeys` are the bodies' cache keys by source (`renderBodies`), which post views carry for their keys.
    /// Every page of the site, and the posts' views they were made of (newest first; the feed takes the same).
    func pagesAndPosts(bodies: [String: String], bodyKeys: [String: UInt64] = [:], skippingPosts: Set<String> = [])
        -> (pages: [Page], posts: [PostView])
    {
        let views = ViewBuilder(
            content: content, now: now, assetVersion: assetVersion, bodies: bodies, shared: sharedViews,
            bodyKeys: bodyKeys, strings: strings)
        let showViews = content.shows.sorted { $0.title.lowercased() < $1.title.lowercased() }.map(views.showView)
        let postSources = Dictionary(uniqueKeysWithValues: content.sources.values.map { ($0.url, $0.relativePath) })
        let postViews = content.posts.map { views.postView($0, source: postSources[$0.url] ?? "") }
        var pages: [Page] = []

        var home = views.context(title: content.profile.name, description: content.profile.description, path: "/", kind: "home")
        home.shows = showViews
        home.latest_posts = Array(postViews.prefix(3))
        home.has_latest_posts = !home.latest_posts.isEmpty
        home.coming_up = views.comingUp(12)
        home.has_coming_up = !home.coming_up.isEmpty
        home.latest_recordings = latestRecordings(views)
        home.has_latest_recordings = !home.latest_recordings.isEmpty
        pages.append(Page(path: "/", template: "index", context: home))

        var schedulePage = views.context(
            title: strings["schedule"], description: "\(strings["schedule_description"]) \(content.profile.name).",
            path: "/schedule/", kind: "schedule")
        schedulePage.days = views.dayViews()
        schedulePage.specials = views.upcomingSpecials()
        schedulePage.has_specials = !schedulePage.specials.isEmpty
        pages.append(Page(path: "/schedule/", template: "schedule", context: schedulePage))

        var showsPage = views.context(
            title: strings["shows"], description: "\(strings["shows_description"]) \(content.profile.name).",
            path: "/shows/", kind: "shows")
        showsPage.shows = showViews
        pages.append(Page(path: "/shows/", template: "shows", context: showsPage))

        for show in showViews {
            var page = views.context(
                title: show.title, description: show.description, path: show.url, kind: "show",
                image: content.show(show.slug)?.image)
            page.show = withRecordings(show, views)
            pages.append(Page(path: show.url, template: "show", context: page))
        }

        let newsPaths = newsPagePaths
        for (index, path) in newsPaths.enumerated() {
            var newsPage = views.context(
                title: index == 0 ? strings["news"] : "\(strings["news"]), \(strings["page"]) \(index + 1)",
                description: "\(strings["news_description"]) \(content.profile.name).", path: path, kind: "news")
            newsPage.posts = Array(postViews.dropFirst(index * Self.postsPerNewsPage).prefix(Self.postsPerNewsPage))
            if newsPaths.count > 1 {
                newsPage.pagination = PaginationView(
                    current: index + 1, total: newsPaths.count,
                    previous_url: index > 0 ? newsPaths[index - 1] : nil,
                    next_url: index + 1 < newsPaths.count ? newsPaths[index + 1] : nil)
            }
            pages.append(Page(path: path, template: "news", context: newsPage))
        }

        for (article, post) in zip(content.posts, postViews) where !skippingPosts.contains(post.url) {
            pages.append(postPage(article, post, views))
        }

        for article in content.pages {
            let source = postSources[article.url] ?? ""
            var page = views.context(
                title: article.title, description: article.description, path: article.url, kind: "page",
                image: article.image)
            page.article = ArticleView(title: article.title, body_html: bodies[source] ?? "", image: article.image.map { "/" + $0 })
            pages.append(Page(path: article.url, template: "page", context: page))
        }

        // The player widget other sites frame (`/embed/`), when the templates have one.
        if templates.has("embed") {
            var embed = Page(
                path: "/embed/", template: "embed",
                context: views.context(title: strings["player"], description: nil, path: "/embed/", kind: "embed"))
            embed.layout = nil
            pages.append(embed)
        }

        // The studio (onair-api's sign-in page) exists only when the templates have one; not in the sitemap.
        if templates.has("studio") {
            let studio = views.context(title: "Studio", description: "Sign in to run \(content.profile.name).", path: "/studio/", kind: "studio")
            pages.append(Page(path: "/studio/", template: "studio", context: studio))
        }

        var notFound = views.context(
            title: strings["not_found"], description: strings["not_found_description"], path: "/404.html",
            kind: "not-found")
        notFound.shows = showViews
        pages.append(Page(path: "/404.html", template: "404", context: notFound))
        return (pages, postViews)
    }

    /// The site-relative files the pages and data files become (what internal links may name):
    /// the files of `pagesAndPosts(bodies:)`, known before any body is rendered.
    var renderedFiles: Set<String> {
        Set(
            (pagePaths + ["/404.html"] + (templates.has("studio") ? ["/studio/"] : []) + (templates.has("embed") ? ["/embed/"] : []))
                .map(Self.file(for:))
                + (Self.dataFiles + podcastPaths).map { String($0.dropFirst()) })
    }

    /// The page of a post whose body is rendered (`html`, whose body cache key is `key`), as `pagesAndPosts(bodies:)` makes it.
    func postPage(_ article: Article, html: String, key: UInt64? = nil) -> Page {
        let views = ViewBuilder(content: content, now: now, assetVersion: assetVersion, bodies: [:], shared: sharedViews, strings: strings)
        var post = views.postView(article, source: "")
        post.body_html = html
        post.body_key = key
        return postPage(article, post, views)
    }

    func postPage(_ article: Article, _ post: PostView, _ views: ViewBuilder) -> Page {
        var page = Page(path: post.url, template: "post") {
            var page = views.context(
                title: post.title, description: post.description, path: post.url, kind: "post",
                image: article.image, ogType: "article")
            page.post = post
            return page
        }
        // The context is `views.context(...)` of these arguments plus `post`: the arguments, the
        // post and what the context takes from the rest of the site (`postContextKey`) make the key.
        let shared = sharedViews
        let contextKey = postContextKey
        page.key = { key in
            key.add("post page 1")
            key.add(contextKey)
            key.add(post.title); key.add(post.description); key.add(post.url); key.add(article.image)
            key.add(post)
            key.add((shared.cards[post.url] ?? shared.cards["/"])?.path)
        }
        return page
    }

    /// Renders the pages (in parallel, through `pipeline`) and the data files into the pipeline's
    /// output. Returns the broken internal links found on each page, by site-relative file.
    /// The feed copies unchanged items from `previousFeed` (the published one) and leaves where
    /// its items are in `feedItems`.
    /// `posts`: the posts' views of `pagesAndPosts` (made here when nil).
    func render(
        _ pages: [Page], bodies: [String: String], bodyKeys: [String: UInt64] = [:], posts: [PostView]? = nil,
        pipeline: PagePipeline,
        previousFeed: (Data, [UInt64: Range<Int>])? = nil, feedItems: FeedItems = FeedItems()
    ) throws -> [(String, [String])] {
        let output = pipeline.output
        let views = ViewBuilder(content: content, now: now, assetVersion: assetVersion, bodies: bodies, bodyKeys: bodyKeys, strings: strings)
        let postSources = Dictionary(uniqueKeysWithValues: content.sources.values.map { ($0.url, $0.relativePath) })
        let profile = content.profile
        var feed = RSSFeed(
            profile: profile, schedule: content.schedule,
            posts: Array(
                (posts ?? content.posts.map { views.postView($0, source: postSources[$0.url] ?? "") })
                    .prefix(profile.feedItems)))
        feed.previous = previousFeed
        // The feed (tens of megabytes for a big news folder) renders beside the pages: the news
        // list, one long page, would otherwise leave a core idle. Done before this returns or throws.
        let feedWritten = DispatchGroup()
        DispatchQueue.global().async(group: feedWritten) { [feed] in
            output.put("feed.xml") { write in feedItems.set(feed.render(into: write)) }
        }
        defer { feedWritten.wait() }
        let brokenPerPage = ParallelMap.map(pages, pipeline.run)
        output.put("schedule.ics", Data(ICalendar(content: content, views: views, now: now).render().utf8))
        output.put("schedule.json", try scheduleDocument())
        renderPodcasts(into: output)
        output.put("listen.m3u", Data(PlainFiles.m3u(profile).utf8))
        output.put("listen.pls", Data(PlainFiles.pls(profile).utf8))
        output.put("robots.txt", Data(PlainFiles.robots(profile).utf8))
        output.put("sitemap.xml", Data(PlainFiles.sitemap(profile, paths: pagePaths).utf8))
        return brokenPerPage
    }

    /// `schedule.json` (the daemon's input): the week, the specials and 14 days of airings from `now`.
    func scheduleDocument() throws -> Data {
        var shows: [String: ScheduleDocument.ShowInfo] = [:]
        for show in content.shows {
            shows[show.slug] = .init(title: show.title, host: show.host, url: show.url, live: show.live, record: show.record)
        }
        let upcoming = content.schedule.occurrences(from: now, to: now.addingTimeInterval(14 * 86_400)).map { airing in
            ScheduleDocument.Airing(
                show: airing.show, start: airing.start, end: airing.end, special: airing.isSpecial,
                title: airing.title ?? shows[airing.show]?.title ?? airing.show)
        }
        let document = ScheduleDocument(
            timezone: content.profile.timezone, shows: shows, weekly: content.weeklySlots,
            specials: content.schedule.specials, upcoming: upcoming,
            stationName: content.profile.name)
        var data = try JSONEncoder.onAir(pretty: true).encode(document)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// `/shows/x/` -> `shows/x/index.html`; `/404.html` -> `404.html`.
    static func file(for path: String) -> String {
        let trimmed = String(path.dropFirst())
        if trimmed.isEmpty { return "index.html" }
        return trimmed.hasSuffix("/") ? trimmed + "index.html" : trimmed
    }
}
