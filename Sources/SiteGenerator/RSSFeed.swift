import Foundation
import StationKit

/// `feed.xml`: the news as RSS 2.0. Dates come from the posts, never from the clock, so the same
/// news gives the same bytes.
struct RSSFeed {
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
        for post in posts {
            let link = profile.absoluteURL(post.url)
            let date = LocalDate(parsing: post.date).map { rfc822($0, formatter) } ?? ""
            write("""
              <item>
                <title>\(e(post.title))</title>
                <link>\(e(link))</link>
                <guid isPermaLink="true">\(e(link))</guid>
                <pubDate>\(date)</pubDate>
                <description>\(post.body_html.isEmpty ? e(post.description ?? "") : escapedAbsolute(post.body_html))</description>
              </item>

            """)
        }
        write("</channel>\n</rss>\n")
    }

    /// Feed readers show the body outside the site: make site-relative links absolute.
    func absolutize(_ html: String) -> String {
        Escaping.replacing("src=\"/", with: "src=\"\(profile.baseURL)/",
                           in: Escaping.replacing("href=\"/", with: "href=\"\(profile.baseURL)/", in: html))
    }

    /// `Escaping.xml(absolutize(html))` in one pass over the bytes.
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
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "h"), at(index, "href=\"/") { result += href; index += 7; continue }
                if byte == UInt8(ascii: "s"), at(index, "src=\"/") { result += src; index += 6; continue }
                switch byte {
                case 0x26: result += "&amp;".utf8
                case 0x3C: result += "&lt;".utf8
                case 0x3E: result += "&gt;".utf8
                case 0x22: result += "&quot;".utf8
                case 0x27: result += "&apos;".utf8
                default: result.append(byte)
                }
                index += 1
            }
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
