import StationKit

/// The small text files of the site: playlists for players outside the browser, robots, sitemap.
enum PlainFiles {
    /// Streams for players outside the browser: MP3 first (everything plays it), then the others.
    static func playerOrder(_ streams: [StationProfile.Stream]) -> [StationProfile.Stream] {
        let isMP3 = { (stream: StationProfile.Stream) in ["mp3", "mpeg"].contains(stream.format.lowercased()) }
        return streams.filter(isMP3) + streams.filter { !isMP3($0) }
    }

    /// `listen.m3u`: absolute stream URLs (`base_url + /stream<mount>`), one per stream, MP3 first.
    static func m3u(_ profile: StationProfile) -> String {
        var text = "#EXTM3U\n"
        for stream in playerOrder(profile.streams) {
            text += "#EXTINF:-1,\(profile.name) (\(stream.label))\n\(profile.absoluteURL(stream.sameOriginPath))\n"
        }
        return text
    }

    /// `listen.pls`, MP3 first.
    static func pls(_ profile: StationProfile) -> String {
        var text = "[playlist]\nNumberOfEntries=\(profile.streams.count)\n"
        for (index, stream) in playerOrder(profile.streams).enumerated() {
            let n = index + 1
            text += "File\(n)=\(profile.absoluteURL(stream.sameOriginPath))\nTitle\(n)=\(profile.name) (\(stream.label))\nLength\(n)=-1\n"
        }
        return text + "Version=2\n"
    }

    static func robots(_ profile: StationProfile) -> String {
        "User-agent: *\nAllow: /\n\nSitemap: \(profile.absoluteURL("/sitemap.xml"))\n"
    }

    /// `sitemap.xml` for the given site paths (sorted; no dates, so unchanged content keeps its bytes).
    static func sitemap(_ profile: StationProfile, paths: [String]) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for path in paths.sorted() {
            xml += "  <url><loc>\(Escaping.xml(profile.absoluteURL(path)))</loc></url>\n"
        }
        return xml + "</urlset>\n"
    }
}
