import Foundation
import StationKit

/// Step 1: reads `Content/` into a `StationContent`, collecting every error on the way.
struct ContentLoader {
    var contentURL: URL
    /// How the user named the content folder (`Content`), the prefix of every error path.
    var contentPath: String

    /// Front matter of pages and posts from the last build, by file stamp (see `ContentCache`).
    var cache = ContentCache()
    /// Stamps this build took already (the build manifest's `stat` of every input), by
    /// content-relative path; a file not here is stamped when it is loaded.
    var stamps: [String: ContentCache.Stamp] = [:]

    private var fileManager: FileManager { .default }

    func display(_ relative: String) -> String { contentPath + "/" + relative }

    func exists(_ relative: String) -> Bool {
        var isDirectory: ObjCBool = false
        let clean = relative.hasPrefix("/") ? String(relative.dropFirst()) : relative
        return fileManager.fileExists(atPath: contentURL.appendingPathComponent(clean).path, isDirectory: &isDirectory)
            && !isDirectory.boolValue
    }

    /// Markdown files in a subfolder, sorted, as content-relative paths.
    func markdownFiles(in folder: String) -> [String] {
        let url = contentURL.appendingPathComponent(folder)
        guard let names = try? fileManager.contentsOfDirectory(atPath: url.path) else { return [] }
        return names.filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted().map { "\(folder)/\($0)" }
    }

    /// The content, as far as it could be read, and every error found. The content is nil only when
    /// there is too little to go on (no usable station.yaml); with errors it is still returned so
    /// the Markdown bodies can be checked in the same run, but it must not be published.
    /// The station's content with its errors, and the front matter cache for the next build (the pages and posts without errors).
    func loadCaching() -> (StationContent?, [ContentError], ContentCache) {
        var errors: [ContentError] = []
        var nextCache = ContentCache()
        let entries = (try? fileManager.contentsOfDirectory(atPath: contentURL.path)) ?? []
        if entries.filter({ !$0.hasPrefix(".") }).isEmpty {
            let what = fileManager.fileExists(atPath: contentURL.path) ? "is empty" : "does not exist"
            return (
                nil,
                [
                    ContentError(
                        path: contentPath,
                        message:
                            "the content folder \(what) (it needs station.yaml, schedule.md and shows/; see docs/CONTENT.md)")
                ], nextCache
            )
        }

        // Station profile
        var profile: StationProfile?
        if exists("station.yaml") {
            do {
                let file = try SourceFile.read(contentURL.appendingPathComponent("station.yaml"), displayPath: display("station.yaml"))
                let (parsed, problems) = StationProfile.parse(file, imageExists: exists)
                profile = parsed; errors += problems
            } catch { errors.append(error) }
        } else {
            errors.append(
                ContentError(
                    path: display("station.yaml"),
                    message:
                        "missing (the station's profile: name, base_url, timezone, streams; see docs/CONTENT.md)"))
        }

        var sources: [String: SourceDocument] = [:]

        // Shows
        var shows: [Show] = []
        var drafts: Set<String> = []
        let showFiles = markdownFiles(in: "shows")
        if showFiles.isEmpty {
            errors.append(ContentError(path: display("shows"), message: "no shows (add one with 'onair new show \"Night Owls\"')"))
        }
        for relative in showFiles {
            guard var matter = frontMatter(relative, &errors) else { continue }
            let slug = String(relative.dropFirst("shows/".count).dropLast(3))
            if matter.fields.bool("draft") { drafts.insert(slug); continue }
            let title = matter.fields.string("title", required: true)
            let host = matter.fields.string("host")
            let image = matter.fields.string("image")
            if let image, !exists(image) { matter.fields.fail("image", "'image' points to \(image), which does not exist") }
            let description = matter.fields.string("description") ?? ""
            let genres = matter.fields.strings("genres")
            let live = matter.fields.bool("live")
            let record = matter.fields.node("record") == nil ? true : matter.fields.bool("record")
            errors += matter.fields.errors
            sources[relative] = SourceDocument(
                displayPath: display(relative), relativePath: relative, body: matter.body,
                bodyLine: matter.bodyLine, url: "/shows/\(slug)/")
            if let problem = Self.slugError(slug, folder: "shows", example: "night-owls.md") {
                errors.append(ContentError(path: display(relative), line: 1, message: problem))
            }
            // A show with a bad field stays in (its errors are reported) so the schedule can still name it.
            guard let title else { continue }
            let show = Show(
                slug: slug, title: title, host: host, image: image.flatMap { exists($0) ? $0 : nil },
                description: description, genres: genres, body: matter.body, live: live, record: record)
            shows.append(show)
        }

        // Pages and news (front matter of unchanged files from `cache`)
        let folderPath = contentURL.path
        var pages: [Article] = []
        var posts: [Article] = []
        for (folder, kind) in [("pages", Article.Kind.page), ("news", .post)] {
            let files = markdownFiles(in: folder)
            for (relative, parsed) in zip(files, frontMatters(files, post: kind == .post)) {
                let loaded: LoadedFile
                switch parsed.value {
                case .success(let file): loaded = file
                case .failure(let error): errors.append(error); continue
                }
                let fields = loaded.fields
                if let stamp = loaded.stamp, fields.errors.isEmpty {
                    nextCache.entries[relative] = ContentCache.Entry(
                        stamp: stamp, fields: fields, bodyLine: loaded.bodyLine,
                        bodyDigest: loaded.bodyDigest)
                }
                if fields.draft { continue }
                var slug = String(relative.dropFirst(folder.count + 1).dropLast(3))
                var date: LocalDate?
                if kind == .post {
                    let prefix = String(slug.prefix(10))
                    if slug.count > 11, let fromName = LocalDate(parsing: prefix) {
                        date = fromName; slug = String(slug.dropFirst(11))
                    }
                    if let fromField = fields.date { date = fromField }
                    if date == nil, !fields.hasDateKey {
                        errors.append(
                            ContentError(
                                path: display(relative), line: 1,
                                message:
                                    "news post has no date (add 'date: YYYY-MM-DD' or name the file YYYY-MM-DD-title.md)"))
                    }
                }
                let name = relative.dropFirst(folder.count + 1)
                let datePart = LocalDate(parsing: String(name.prefix(10))) != nil ? String(name.prefix(10)) : "2026-01-01"
                let example = kind == .page ? "about-us.md" : "\(datePart)-winter-specials.md"
                if let problem = Self.slugError(slug, folder: folder, example: example) {
                    errors.append(ContentError(path: display(relative), line: 1, message: problem))
                    continue
                }
                var fieldErrors = fields.errors
                if let image = fields.image, !exists(image) {
                    fieldErrors.append(
                        ContentError(
                            path: display(relative), line: fields.imageLine,
                            message: "'image' points to \(image), which does not exist"))
                }
                errors += fieldErrors
                if kind == .page, ["schedule", "shows", "news", "assets", "images", "stream", "api"].contains(slug) {
                    errors.append(ContentError(path: display(relative), message: "a page cannot be named '\(slug)' (the site uses /\(slug)/ itself)"))
                    continue
                }
                sources[relative] = SourceDocument(
                    displayPath: display(relative), relativePath: relative, body: loaded.body ?? "",
                    bodyDigest: loaded.bodyDigest,
                    unreadFile: loaded.body == nil ? folderPath + "/" + relative : nil,
                    bodyLine: loaded.bodyLine, url: kind == .page ? "/\(slug)/" : "/news/\(slug)/")
                guard let title = fields.title, fieldErrors.isEmpty, kind == .page || date != nil else { continue }
                let article = Article(
                    kind: kind, slug: slug, title: title, description: fields.description, date: date,
                    author: fields.author, image: fields.image, body: loaded.body ?? "")
                if kind == .page { pages.append(article) } else { posts.append(article) }
            }
        }
        posts.sort { ($0.date ?? LocalDate(year: 0, month: 1, day: 1), $0.slug) > ($1.date ?? LocalDate(year: 0, month: 1, day: 1), $1.slug) }

        // Schedule
        let zone = profile.flatMap { TimeZone(identifier: $0.timezone) } ?? TimeZone(identifier: "UTC")!
        var schedule = Schedule(timeZone: zone, weekly: [])
        var weekly: [WeeklySlot] = []
        if exists("schedule.md") {
            do {
                let file = try SourceFile.read(contentURL.appendingPathComponent("schedule.md"), displayPath: display("schedule.md"))
                let parser = ScheduleParser(
                    path: file.displayPath, contentPath: contentPath,
                    shows: shows.map { .init(slug: $0.slug, title: $0.title) }, drafts: drafts)
                let parsed = parser.parse(file.text)
                errors += parsed.errors
                weekly = parsed.weekly.map(\.slot)
                schedule = Schedule(timeZone: zone, weekly: weekly, specials: parsed.specials.map(\.slot))
                // An empty week (a new station's: weekday headings with empty tables) is fine; a
                // file without any weekday heading is a mistake.
                let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
                let hasDays = file.text.split(separator: "\n").contains { line in days.contains { line.hasPrefix("## \($0)") } }
                if weekly.isEmpty, parsed.errors.isEmpty, !hasDays {
                    errors.append(ContentError(path: file.displayPath, message: "no slots (add '## Monday' and a '| Time | Show |' table)"))
                }
            } catch { errors.append(error) }
        } else {
            errors.append(ContentError(path: display("schedule.md"), message: "missing (write the weekly schedule here; see docs/CONTENT.md)"))
        }

        let images = listImages()
        guard let profile else { return (nil, errors, nextCache) }
        return (
            StationContent(
                profile: profile, timeZone: zone, shows: shows, pages: pages, posts: posts,
                schedule: schedule, weeklySlots: weekly, images: images, sources: sources), errors, nextCache
        )
    }

    /// Reads and parses many files' front matter on all cores (most of the loading time of a big
    /// news folder), in the files' order; a file whose stamp `cache` knows is neither read nor parsed.
    private func frontMatters(_ files: [String], post: Bool) -> [ParsedFile] {
        let loader = self
        let folderPath = contentURL.path
        return ParallelMap.map(files) { relative -> ParsedFile in
            let path = folderPath + "/" + relative
            let stamp = loader.stamps[relative] ?? ContentCache.Stamp(path: path)
            if let stamp, let entry = loader.cache.entries[relative], entry.stamp == stamp {
                return ParsedFile(
                    value: .success(
                        LoadedFile(
                            fields: entry.fields, body: nil, bodyLine: entry.bodyLine,
                            bodyDigest: entry.bodyDigest, stamp: stamp)))
            }
            do throws(ContentError) {
                let matter = try FrontMatter.parse(try SourceFile.read(path: path, displayPath: loader.display(relative)))
                return ParsedFile(
                    value: .success(
                        LoadedFile(
                            fields: ArticleFields.read(matter.fields, post: post), body: matter.body,
                            bodyLine: matter.bodyLine, bodyDigest: SourceDocument.digest(matter.body),
                            stamp: stamp)))
            } catch {
                return ParsedFile(value: .failure(error))
            }
        }
    }

    /// A page's or post's front matter and body (nil when the front matter came from the cache).
    struct LoadedFile: Sendable {
        var fields: ArticleFields
        var body: String?
        var bodyLine: Int
        var bodyDigest: UInt64
        /// The file's stamp, taken before it was read (nil if it could not be taken: not cached).
        var stamp: ContentCache.Stamp?
    }

    /// One parsed file handed from the thread that parsed it to the loader.
    struct ParsedFile: Sendable { var value: Result<LoadedFile, ContentError> }

    private func frontMatter(_ relative: String, _ errors: inout [ContentError]) -> FrontMatter? {
        do {
            let file = try SourceFile.read(contentURL.appendingPathComponent(relative), displayPath: display(relative))
            return try FrontMatter.parse(file)
        } catch {
            errors.append(error)
            return nil
        }
    }

    /// Every image under `Content/images/`, as `images/...`, sorted (what `ContentImages` accepts).
    func listImages() -> [String] {
        ContentImages(root: contentURL.appendingPathComponent("images"), displayPath: display("images")).scan().files.map(\.path)
    }

    /// Why `slug` (a file name without `.md`, and a post's without its date) cannot be an address
    /// under /`folder`/, saying what to rename the file to; nil when it can.
    static func slugError(_ slug: String, folder: String, example: String) -> String? {
        guard !isSlug(slug) else { return nil }
        let address = "/" + (folder == "pages" ? "" : folder + "/") + slug + "/"
        let shown = address.unicodeScalars.contains { $0.properties.generalCategory == .control } ? address.debugDescription : "'\(address)'"
        return "the file name makes the address \(shown), which is not allowed; rename the file to lowercase letters, "
            + "digits and '-', starting with a letter or digit (like \(example))"
    }

    /// Lowercase ASCII letters, digits and '-', starting with a letter or digit.
    static func isSlug(_ text: String) -> Bool {
        guard let first = text.first, first != "-" else { return false }
        return text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }
}
