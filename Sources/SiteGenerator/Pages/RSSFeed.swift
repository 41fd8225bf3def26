import Foundation
import StationKit

/// `feed.xml`: the news as RSS 2.0. Dates come from the posts, never from the clock, so the same
/// news gives the same bytes.
struct RSSFeed: Sendable {
    var profile: StationProfile
    var schedule: Schedule
    /// Newest first, with their rendered bodies.
    var posts: [PostView]
    /// The published feed and where its items are, by key (`FeedIndex.published`): an item with
    /// the same key is copied from there.
    var previous: (Data, [UInt64: Range<Int>])? = nil

    func render() -> String {
        var xml = ""
        render { xml += $0 }
        return xml
    }

    /// The feed piece by piece (tens of megabytes for a big news folder: the caller writes it
    /// out). Returns where each item is in what was written, by key (for the next `previous`).
    @discardableResult
    func render(into output: (String) -> Void) -> [UInt64: Range<Int>] {
        var written = 0
        var index: [UInt64: Range<Int>] = [:]
        index.reserveCapacity(posts.count)
        func write(_ piece: String) { written += piece.utf8.count; output(piece) }
        let e = Escaping.xml
        write(
            """
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
        // Items are rendered on all cores, one chunk per core at a time (a round of a thousand held
        // megabytes more at the cold build's peak, beside the pages), and written in order.
        let chunk = 64
        var start = 0
        while start < posts.count {
            let end = min(start + chunk * max(2, ProcessInfo.processInfo.activeProcessorCount), posts.count)
            let ranges = stride(from: start, to: end, by: chunk).map { $0..<min($0 + chunk, end) }
            let feed = self
            for (piece, lengths) in ParallelMap.map(ranges, { feed.items($0) }) {
                var offset = written
                for (key, length) in lengths { index[key] = offset..<offset + length; offset += length }
                write(piece)
            }
            start = end
        }
        write("</channel>\n</rss>\n")
        return index
    }

    /// Everything an item is rendered from: the post, the station's address, the instant of its
    /// date and the `onair` executable.
    func itemKey(_ post: PostView) -> UInt64 {
        var key = Fingerprint()
        key.add("feed item 1")
        key.add(SiteRenderer.executableStamp)
        key.add(profile.baseURL)
        key.add(post)
        let instant = LocalDate(parsing: post.date).map { schedule.instant($0, TimeOfDay(minutes: 0)).timeIntervalSince1970 }
        key.add(instant.map { UInt64(bitPattern: Int64($0)) } ?? 0)
        return key.value
    }

    /// The `<item>`s of `posts[range]`, and each item's key and length in bytes.
    func items(_ range: Range<Int>) -> (String, [(UInt64, Int)]) {
        let e = Escaping.xml
        var formatter: DateFormatter?  // not shared between threads; made only if an item is rendered
        var xml = ""
        var lengths: [(UInt64, Int)] = []
        for post in posts[range] {
            let before = xml.utf8.count
            let key = previous == nil ? 0 : itemKey(post)
            if let (feed, items) = previous, let found = items[key] {
                feed.withUnsafeBytes { xml += String(decoding: UnsafeRawBufferPointer(rebasing: $0[found]), as: UTF8.self) }
                lengths.append((key, xml.utf8.count - before))
                continue
            }
            let itemFormatter = formatter ?? Self.rfc822Formatter()
            formatter = itemFormatter
            let link = profile.absoluteURL(post.url)
            let date = LocalDate(parsing: post.date).map { rfc822($0, itemFormatter) } ?? ""
            xml += """
                  <item>
                    <title>\(e(post.title))</title>
                    <link>\(e(link))</link>
                    <guid isPermaLink="true">\(e(link))</guid>
                    <pubDate>\(date)</pubDate>
                    <description>\(post.body_html.isEmpty ? e(post.description ?? "") : escapedAbsolute(post.body_html))</description>
                  </item>

                """
            lengths.append((previous == nil ? itemKey(post) : key, xml.utf8.count - before))
        }
        return (xml, lengths)
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
