import Foundation
import StationKit

/// Builds the typed template views from the content, for one reference instant ("now").
struct ViewBuilder: Sendable {
    var content: StationContent
    /// The build's "now" (see `BuildOptions.now`): next airings and upcoming lists start here.
    var now: Date
    var assetVersion: String
    /// Markdown bodies already rendered to HTML, by content-relative source path.
    var bodies: [String: String]
    /// The site-wide views every page context holds, made once (`shared()`); nil makes them per page.
    var shared: Shared? = nil
    /// The bodies' cache keys by source path (see `PostView.body_key`); a body without one is hashed whole.
    var bodyKeys: [String: UInt64] = [:]
    /// The fixed texts in the station's language.
    var strings: Strings = .english

    /// The parts of a page context that are the same on every page.
    struct Shared: Sendable {
        var station: StationView
        var streams: [StreamView]
        var firstStream: StreamView?
        var sources: [StreamView]
        var year: String
        /// Share cards by page path (`ShareCards`); a page without one shows the home page's.
        var cards: [String: ShareCards.Card] = [:]
        var stringsJSON: String = "{}"
    }

    func makeShared() -> Shared {
        let streams = streamViews()
        return Shared(
            station: stationView(), streams: streams,
            firstStream: PlainFiles.playerOrder(profile.streams).first.flatMap { preferred in streams.first { $0.mount == preferred.mount } },
            sources: sourceViews(), year: String(schedule.localDate(of: now).year), stringsJSON: strings.scriptJSON)
    }

    var profile: StationProfile { content.profile }
    var schedule: Schedule { content.schedule }

    func stationView() -> StationView {
        let logo = profile.artwork.map { "/" + $0 }
        return StationView(
            name: profile.name, tagline: profile.tagline, description: profile.description, language: profile.language,
            base_url: profile.baseURL, logo: logo, logo_absolute: logo.map(profile.absoluteURL), timezone: profile.timezone,
            social: profile.social.keys.sorted().map { LinkView(name: Self.socialName($0), url: profile.social[$0] ?? "") },
            has_social: !profile.social.isEmpty, listen_m3u: "/listen.m3u", listen_pls: "/listen.pls")
    }

    static func socialName(_ key: String) -> String {
        switch key.lowercased() {
        case "x", "twitter": "X"
        case "youtube": "YouTube"
        case "tiktok": "TikTok"
        case "soundcloud": "SoundCloud"
        default: key.prefix(1).uppercased() + key.dropFirst()
        }
    }

    func streamViews() -> [StreamView] {
        profile.streams.map { stream in
            StreamView(
                mount: stream.mount, url: stream.sameOriginPath, absolute_url: profile.absoluteURL(stream.sameOriginPath),
                format: stream.format, mime: stream.mime, source_type: Self.sourceType(stream), bitrate: stream.bitrate,
                label: stream.label)
        }
    }

    /// Browsers take the first `<source>` they can play: Opus, then Vorbis, then MP3 (which all play).
    func sourceViews() -> [StreamView] {
        let rank = ["opus": 0, "vorbis": 1, "mp3": 2]
        return streamViews().enumerated()
            .sorted { (rank[$0.element.format.lowercased()] ?? 3, $0.offset) < (rank[$1.element.format.lowercased()] ?? 3, $1.offset) }
            .map(\.element)
    }

    static func sourceType(_ stream: StationProfile.Stream) -> String {
        switch stream.format.lowercased() {
        case "vorbis", "ogg": "audio/ogg; codecs=vorbis"
        default: stream.mime
        }
    }

    static let navigation: [(String, String)] = [
        ("nav_listen", "/"), ("nav_schedule", "/schedule/"), ("nav_shows", "/shows/"), ("nav_news", "/news/"),
    ]

    /// The context every page starts from.
    func context(
        title: String, description: String?, path: String, kind: String, image: String? = nil,
        ogType: String = "website", shareText: String? = nil
    ) -> PageContext {
        let canonical = profile.absoluteURL(path)
        let isHome = path == "/"
        let text =
            shareText
            ?? (isHome
                ? "\(strings["listening_to"]) \(profile.name)\(profile.tagline.isEmpty ? "" : " – \(profile.tagline)")"
                : "\(title) \(strings["on_station"]) \(profile.name)")
        var nav = Self.navigation.map { NavItem(label: strings[$0.0], url: $0.1, current: $0.1 == "/" ? isHome : path.hasPrefix($0.1)) }
        nav += content.pages.map { NavItem(label: $0.title, url: $0.url, current: path == $0.url) }
        let imagePath = image ?? profile.artwork
        let shared = shared ?? makeShared()
        let card = shared.cards[path] ?? shared.cards["/"]
        return PageContext(
            station: shared.station, streams: shared.streams, first_stream: shared.firstStream,
            sources: shared.sources,
            share: ShareLinks.links(url: canonical, text: text), share_url: canonical, share_text: text,
            asset_version: assetVersion,
            page: PageMeta(
                title: title, full_title: isHome ? "\(profile.name) – \(profile.tagline)" : "\(title) · \(profile.name)",
                description: description ?? profile.description, canonical: canonical,
                image: card.map { profile.absoluteURL($0.path) } ?? imagePath.map { profile.absoluteURL("/" + $0) },
                image_alt: card?.alt, og_type: ogType, path: path,
                is_home: isHome, kind: kind),
            nav: nav, year: shared.year, timezone: profile.timezone, t: strings.table, strings_json: shared.stringsJSON)
    }

    // MARK: Schedule

    /// The next airing of a weekly slot that has not ended at `now`.
    func nextAiring(of slot: WeeklySlot) -> (Date, Date) {
        var date = schedule.localDate(of: now)
        date = schedule.adding(days: -1, to: date)
        for _ in 0..<9 {
            if schedule.weekday(of: date) == slot.day {
                let start = schedule.instant(date, slot.start)
                let end = schedule.instant(slot.end > slot.start ? date : schedule.adding(days: 1, to: date), slot.end)
                if end > now { return (start, end) }
            }
            date = schedule.adding(days: 1, to: date)
        }
        let start = schedule.instant(date, slot.start)
        return (start, start.addingTimeInterval(TimeInterval(slot.lengthMinutes * 60)))
    }

    func slotView(_ slot: WeeklySlot) -> SlotView {
        let show = content.show(slot.show)
        let (start, end) = nextAiring(of: slot)
        return SlotView(
            show_slug: slot.show, show_title: show?.title ?? slot.show, show_url: "/shows/\(slot.show)/",
            host: show?.host, day: slot.day.name.lowercased(), day_name: strings.dayName(slot.day),
            weekly_start: slot.start.description, weekly_end: slot.end.description,
            start: ISO8601.string(start), end: ISO8601.string(end), crosses_midnight: slot.crossesMidnight,
            special: false, title: nil, date: nil, date_label: nil)
    }

    func slotView(_ special: SpecialSlot) -> SlotView {
        let show = content.show(special.show)
        let start = schedule.instant(special.date, special.start)
        let endDate = special.end > special.start ? special.date : schedule.adding(days: 1, to: special.date)
        let day = schedule.weekday(of: special.date)
        return SlotView(
            show_slug: special.show, show_title: show?.title ?? special.show, show_url: "/shows/\(special.show)/",
            host: show?.host, day: day.name.lowercased(), day_name: strings.dayName(day),
            weekly_start: special.start.description, weekly_end: special.end.description,
            start: ISO8601.string(start), end: ISO8601.string(schedule.instant(endDate, special.end)),
            crosses_midnight: special.end <= special.start, special: true,
            title: special.title ?? show?.title, date: special.date.description,
            date_label: "\(strings.dayName(day)), \(strings.dateLabel(special.date))")
    }

    func dayViews() -> [DayView] {
        Weekday.allCases.map { day in
            let slots = content.weeklySlots.filter { $0.day == day }.sorted { $0.start < $1.start }.map(slotView)
            return DayView(key: day.name.lowercased(), name: strings.dayName(day), slots: slots, is_empty: slots.isEmpty)
        }
    }

    /// The next `count` airings that have not ended at `now` (weekly slots and specials, in order of
    /// start), each a one-off slot with its instants, for "Coming up".
    func comingUp(_ count: Int) -> [SlotView] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: profile.timezone) ?? .gmt
        func time(_ instant: Date) -> String {
            let parts = calendar.dateComponents([.hour, .minute], from: instant)
            return TimeOfDay(minutes: (parts.hour ?? 0) * 60 + (parts.minute ?? 0)).description
        }
        return schedule.occurrences(from: now, to: now.addingTimeInterval(8 * 86_400))
            .filter { $0.end > now }
            .prefix(count)
            .map { airing in
                let show = content.show(airing.show)
                let date = schedule.localDate(of: airing.start)
                let day = schedule.weekday(of: date)
                return SlotView(
                    show_slug: airing.show, show_title: show?.title ?? airing.show, show_url: "/shows/\(airing.show)/",
                    host: show?.host, day: day.name.lowercased(), day_name: strings.dayName(day),
                    weekly_start: time(airing.start), weekly_end: time(airing.end),
                    start: ISO8601.string(airing.start), end: ISO8601.string(airing.end),
                    crosses_midnight: schedule.localDate(of: airing.end) != date, special: true,
                    title: airing.title ?? show?.title, date: date.description,
                    date_label: "\(strings.dayName(day)), \(strings.dateLabel(date))")
            }
    }

    /// Specials that have not ended at `now`, in date order.
    func upcomingSpecials(show: String? = nil) -> [SlotView] {
        schedule.specials
            .filter { show == nil || $0.show == show }
            .sorted { ($0.date, $0.start) < ($1.date, $1.start) }
            .map(slotView)
            .filter { (ISO8601.date($0.end) ?? now) > now }
    }

    // MARK: Shows and articles

    func showView(_ show: Show) -> ShowView {
        var slots = content.weeklySlots.filter { $0.show == show.slug }
            .sorted { ($0.day, $0.start) < ($1.day, $1.start) }.map(slotView)
        for index in slots.indices { slots[index].show_day = true; slots[index].days_name = strings["days_" + slots[index].day] }
        slots += upcomingSpecials(show: show.slug)
        let upcoming = slots.min { $0.start < $1.start }
        return ShowView(
            slug: show.slug, title: show.title, host: show.host, url: show.url, image: show.image.map { "/" + $0 },
            description: show.description, genres: show.genres, has_genres: !show.genres.isEmpty,
            body_html: bodies["shows/\(show.slug).md"] ?? "", slots: slots, has_slots: !slots.isEmpty,
            next_airing: upcoming)
    }

    func postView(_ post: Article, source: String) -> PostView {
        let date = post.date ?? LocalDate(year: 1970, month: 1, day: 1)
        return PostView(
            title: post.title, url: post.url, date: Self.isoDate(date), date_label: strings.dateLabel(date),
            author: post.author, description: post.description, image: post.image.map { "/" + $0 },
            body_html: bodies[source] ?? "", body_key: bodies[source] == nil ? nil : bodyKeys[source])
    }

    /// `2026-11-20`, as `LocalDate.description` writes it, without `String(format:)` (ten thousand posts, several times each).
    static func isoDate(_ date: LocalDate) -> String {
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return value < 0 || digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        guard date.year >= 0 else { return date.description }
        return padded(date.year, 4) + "-" + padded(date.month, 2) + "-" + padded(date.day, 2)
    }

}
