import Foundation
import Markdown
import StationKit

/// Steps 3–5: Markdown bodies to HTML, pages through the templates, and the data files.
/// The output is an in-memory site: site-relative path -> bytes.
struct SiteRenderer: Sendable {
    var content: StationContent
    var templates: TemplateSet
    var now: Date
    var assetVersion: String
    /// Site paths of the copied files (`/images/logo.svg`, `/assets/site.css`).
    var staticPaths: [String]

    /// Every page address the site will have, known before rendering (for link checking).
    var pagePaths: [String] {
        ["/", "/schedule/", "/shows/", "/news/"] + content.shows.map(\.url) + content.pages.map(\.url) + content.posts.map(\.url)
    }

    static let dataFiles = ["/feed.xml", "/schedule.json", "/schedule.ics", "/listen.m3u", "/listen.pls",
                            "/sitemap.xml", "/robots.txt", "/404.html"]

    var sitePaths: Set<String> { Set(pagePaths + Self.dataFiles + staticPaths) }

    /// Renders every Markdown body (links rewritten and checked first). Errors carry file:line.
    func renderBodies() -> Result<[String: String], ContentErrors> {
        let rewriter = LinkRewriter(
            pageForSource: Dictionary(uniqueKeysWithValues: content.sources.values.map { ($0.relativePath, $0.url) })
                .merging(["schedule.md": "/schedule/"]) { a, _ in a },
            sitePaths: sitePaths.union(content.sources.values.map(\.url)), images: Set(content.images))
        let documents = content.sources.values.sorted { $0.relativePath < $1.relativePath }
        let results = ParallelMap.map(documents) { document -> (String, Result<String, ContentErrors>) in
            let (markdown, errors) = rewriter.rewrite(document)
            guard errors.isEmpty else { return (document.relativePath, .failure(ContentErrors(errors))) }
            do { return (document.relativePath, .success(try Markdown.html(markdown))) }
            catch {
                return (document.relativePath, .failure(ContentErrors([ContentError(path: document.displayPath, line: document.bodyLine,
                                                                                  message: "Markdown could not be rendered (\(error))")])))
            }
        }
        var bodies: [String: String] = [:]
        var errors: [ContentError] = []
        for (path, result) in results {
            switch result {
            case .success(let html): bodies[path] = html
            case .failure(let failure): errors += failure.errors
            }
        }
        return errors.isEmpty ? .success(bodies) : .failure(ContentErrors(errors))
    }

    /// A page to render: which template, and its context.
    struct Page: Sendable { var path: String; var template: String; var context: PageContext }

    func pages(bodies: [String: String]) -> [Page] {
        let views = ViewBuilder(content: content, now: now, assetVersion: assetVersion, bodies: bodies)
        let showViews = content.shows.sorted { $0.title.lowercased() < $1.title.lowercased() }.map(views.showView)
        let postSources = Dictionary(uniqueKeysWithValues: content.sources.values.map { ($0.url, $0.relativePath) })
        let postViews = content.posts.map { views.postView($0, source: postSources[$0.url] ?? "") }
        var pages: [Page] = []

        var home = views.context(title: content.profile.name, description: content.profile.description, path: "/", kind: "home")
        home.shows = showViews
        home.latest_posts = Array(postViews.prefix(3))
        home.has_latest_posts = !home.latest_posts.isEmpty
        home.specials = Array(views.upcomingSpecials().prefix(3))
        home.has_specials = !home.specials.isEmpty
        pages.append(Page(path: "/", template: "index", context: home))

        var schedulePage = views.context(title: "Schedule", description: "The weekly schedule of \(content.profile.name).",
                                         path: "/schedule/", kind: "schedule")
        schedulePage.days = views.dayViews()
        schedulePage.specials = views.upcomingSpecials()
        schedulePage.has_specials = !schedulePage.specials.isEmpty
        pages.append(Page(path: "/schedule/", template: "schedule", context: schedulePage))

        var showsPage = views.context(title: "Shows", description: "Every show on \(content.profile.name).", path: "/shows/", kind: "shows")
        showsPage.shows = showViews
        pages.append(Page(path: "/shows/", template: "shows", context: showsPage))

        for show in showViews {
            var page = views.context(title: show.title, description: show.description, path: show.url, kind: "show",
                                     image: content.show(show.slug)?.image)
            page.show = show
            pages.append(Page(path: show.url, template: "show", context: page))
        }

        var newsPage = views.context(title: "News", description: "News from \(content.profile.name).", path: "/news/", kind: "news")
        newsPage.posts = postViews
        pages.append(Page(path: "/news/", template: "news", context: newsPage))

        for (article, post) in zip(content.posts, postViews) {
            var page = views.context(title: post.title, description: post.description, path: post.url, kind: "post",
                                     image: article.image, ogType: "article")
            page.post = post
            pages.append(Page(path: post.url, template: "post", context: page))
        }

        for article in content.pages {
            let source = postSources[article.url] ?? ""
            var page = views.context(title: article.title, description: article.description, path: article.url, kind: "page",
                                     image: article.image)
            page.article = ArticleView(title: article.title, body_html: bodies[source] ?? "", image: article.image.map { "/" + $0 })
            pages.append(Page(path: article.url, template: "page", context: page))
        }

        // The studio (onair-api's sign-in page) exists only when the templates have one; not in the sitemap.
        if templates.library.getTemplate(named: "studio") != nil {
            let studio = views.context(title: "Studio", description: "Sign in to run \(content.profile.name).", path: "/studio/", kind: "studio")
            pages.append(Page(path: "/studio/", template: "studio", context: studio))
        }

        var notFound = views.context(title: "Not found", description: "This page does not exist.", path: "/404.html", kind: "not-found")
        notFound.shows = showViews
        pages.append(Page(path: "/404.html", template: "404", context: notFound))
        return pages
    }

    /// Renders the pages (in parallel) and the data files. Keys are site-relative file paths.
    func render(bodies: [String: String]) throws -> [String: Data] {
        let pages = pages(bodies: bodies)
        let rendered = ParallelMap.map(pages) { page -> (String, Data) in
            var context = page.context
            context.content = templates.render(context, template: page.template)
            let html = templates.render(context, template: "layout")
            return (Self.file(for: page.path), Data(html.utf8))
        }
        var files = Dictionary(uniqueKeysWithValues: rendered)
        let views = ViewBuilder(content: content, now: now, assetVersion: assetVersion, bodies: bodies)
        let postSources = Dictionary(uniqueKeysWithValues: content.sources.values.map { ($0.url, $0.relativePath) })
        let profile = content.profile
        files["feed.xml"] = Data(RSSFeed(profile: profile, schedule: content.schedule,
                                         posts: content.posts.map { views.postView($0, source: postSources[$0.url] ?? "") }).render().utf8)
        files["schedule.ics"] = Data(ICalendar(content: content, views: views, now: now).render().utf8)
        files["schedule.json"] = try scheduleDocument()
        files["listen.m3u"] = Data(PlainFiles.m3u(profile).utf8)
        files["listen.pls"] = Data(PlainFiles.pls(profile).utf8)
        files["robots.txt"] = Data(PlainFiles.robots(profile).utf8)
        files["sitemap.xml"] = Data(PlainFiles.sitemap(profile, paths: pagePaths).utf8)
        return files
    }

    /// `schedule.json` (the daemon's input): the week, the specials and 14 days of airings from `now`.
    func scheduleDocument() throws -> Data {
        var shows: [String: ScheduleDocument.ShowInfo] = [:]
        for show in content.shows { shows[show.slug] = .init(title: show.title, host: show.host, url: show.url) }
        let upcoming = content.schedule.occurrences(from: now, to: now.addingTimeInterval(14 * 86_400)).map { airing in
            ScheduleDocument.Airing(show: airing.show, start: airing.start, end: airing.end, special: airing.isSpecial,
                                    title: airing.title ?? shows[airing.show]?.title ?? airing.show)
        }
        let document = ScheduleDocument(timezone: content.profile.timezone, shows: shows, weekly: content.weeklySlots,
                                        specials: content.schedule.specials, upcoming: upcoming)
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
