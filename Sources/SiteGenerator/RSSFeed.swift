import Foundation
import StationKit

/// `feed.xml`: the news as RSS 2.0. Dates come from the posts, never from the clock, so the same
/// news gives the same bytes.
struct RSSFeed: Sendable {
    var profile: StationProfile
    var schedule: Schedule
    /// Newest first, with their rendered bodies.
    var posts: [PostView]

    func render() -> String {
        var xml = ""
        render { xml += $0 }
        return xml
    }

    /// The feed piece by piece (tens of megabytes for a big news folder: the caller writes it out).
    func render(into write: (String) -> Void) {
        let e = Escaping.xml
        write("""
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
        <channel>
          <title>\(e(profile.name)) – News</title>
          <link>\(e(profile.absoluteURL("/news/")))</link>
          <description>\(e(profile.tagline.isEmpty ? profile.description : profile.tagline))</description>
          <language>\(e(profile.language))</language>
          <atom:link href="\(e(profile.absoluteURL("/feed.xml")))" rel="self" type="application/rss+xml"/>
          <generator>OnAir</generator>

        """)
        let formatter = Self.rfc822Formatter()  // one for the feed: making one costs more than using it
        if let newest = posts.first.flatMap({ LocalDate(parsing: $0.date) }) {
            write("  <lastBuildDate>\(rfc822(newest, formatter))</lastBuildDate>\n")
        }
        // Items are rendered on all cores, a thousand at a time, and written in order.
        let chunk = 64
        var start = 0
        while start < posts.count {
            let end = min(start + chunk * 16, posts.count)
            let ranges = stride(from: start, to: end, by: chunk).map { $0..<min($0 + chunk, end) }
            let feed = self
            for piece in ParallelMap.map(ranges, { feed.items($0) }) { write(piece) }
            start = end
        }
        write("</channel>\n</rss>\n")
    }

    /// The `<item>`s of `posts[range]`.
    func items(_ range: Range<Int>) -> String {
        let e = Escaping.xml
        let formatter = Self.rfc822Formatter()  // not shared between threads
        var xml = ""
        for post in posts[range] {
            let link = profile.absoluteURL(post.url)
            let date = LocalDate(parsing: post.date).map { rfc822($0, formatter) } ?? ""
            xml += """
              <item>
                <title>\(e(post.title))</title>
                <link>\(e(link))</link>
                <guid isPermaLink="true">\(e(link))</guid>
                <pubDate>\(date)</pubDate>
                <description>\(post.body_html.isEmpty ? e(post.description ?? "") : escapedAbsolute(post.body_html))</description>
              </item>

            """
        }
        return xml
    }

    private static let amp = Array("&amp;".utf8), lt = Array("&lt;".utf8), gt = Array("&gt;".utf8)
    private static let quot = Array("&quot;".utf8), apos = Array("&apos;".utf8)

    /// The body escaped for XML, with site-relative `href="/` and `src="/` made absolute (feed
    /// readers show it outside the site), in one pass over the bytes.
    func escapedAbsolute(_ html: String) -> String {
        let href = Array("href=&quot;\(Escaping.xml(profile.baseURL))/".utf8)
        let src = Array("src=&quot;\(Escaping.xml(profile.baseURL))/".utf8)
        var html = html
        return html.withUTF8 { bytes -> String in
            func at(_ index: Int, _ prefix: StaticString) -> Bool {
                let count = prefix.utf8CodeUnitCount
                guard index + count <= bytes.count else { return false }
                for offset in 0..<count where bytes[index + offset] != prefix.utf8Start[offset] { return false }
                return true
            }
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count + bytes.count / 4)
            var index = 0, plain = 0
            func flush() { if plain < index { result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plain..<index])) } }
            while index < bytes.count {
                let replacement: [UInt8]?
                var length = 1
                switch bytes[index] {
                case UInt8(ascii: "h") where at(index, "href=\"/"): replacement = href; length = 7
                case UInt8(ascii: "s") where at(index, "src=\"/"): replacement = src; length = 6
                case 0x26: replacement = Self.amp
                case 0x3C: replacement = Self.lt
                case 0x3E: replacement = Self.gt
                case 0x22: replacement = Self.quot
                case 0x27: replacement = Self.apos
                default: replacement = nil
                }
                guard let replacement else { index += 1; continue }
                flush()
                result.append(contentsOf: replacement)
                index += length
                plain = index
            }
            flush()
            return String(decoding: result, as: UTF8.self)
        }
    }

    /// Midnight of the date in the station's zone, as RFC 822 in UTC: `Thu, 19 Nov 2026 23:00:00 GMT`.
    func rfc822(_ date: LocalDate, _ formatter: DateFormatter = Self.rfc822Formatter()) -> String {
        formatter.string(from: schedule.instant(date, TimeOfDay(minutes: 0)))
    }

    static func rfc822Formatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }
}
