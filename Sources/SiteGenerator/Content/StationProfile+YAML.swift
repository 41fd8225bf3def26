import Foundation
import StationKit

extension StationProfile {
    /// Every key station.yaml may have (docs/CONTENT.md); any other is an error, as in the programs' configs.
    static let knownKeys = [
        "name", "tagline", "description", "language", "base_url", "timezone", "streams", "social",
        "artwork", "icecast_public_url", "feed_items",
        "recordings",
    ]
    static let streamKeys = ["mount", "format", "bitrate", "label"]

    /// Reads `Content/station.yaml`. Returns nil (with errors) when a required field is missing or wrong.
    /// `imageExists` answers whether a path under `Content/` names a file.
    /// The profile comes back whenever the required fields are there, even with errors in others,
    /// so later steps can still report their own problems in the same run.
    static func parse(_ file: SourceFile, imageExists: (String) -> Bool) -> (StationProfile?, [ContentError]) {
        var fields: YAMLFields
        do {
            fields = try YAMLFields.parse(file.text, path: file.displayPath, firstLine: 1, what: "station.yaml")
        } catch {
            return (nil, [error])
        }
        var errors: [ContentError] = []
        fields.rejectUnknownKeys(knownKeys)
        let name = fields.string("name", required: true)
        let tagline = fields.string("tagline") ?? ""
        let description = fields.string("description") ?? ""
        let language = fields.string("language") ?? "en"
        var baseURL = fields.string("base_url", required: true)
        if let url = baseURL {
            guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme),
                parsed.host != nil
            else {
                fields.fail("base_url", "'base_url' must be an absolute http(s) URL like https://radio.example, not '\(url)'")
                return (nil, fields.errors)
            }
            while baseURL?.hasSuffix("/") == true { baseURL?.removeLast() }
        }
        let zone = fields.string("timezone", required: true)
        if let zone, TimeZone(identifier: zone) == nil {
            fields.fail("timezone", "unknown time zone '\(zone)' (use an IANA name such as Europe/Berlin)")
        }
        var streams: [Stream] = []
        if let list = fields.list("streams") {
            for var item in list {
                guard item.isMapping else {
                    errors.append(
                        ContentError(
                            path: file.displayPath, line: item.elementLine,
                            message: "each stream must be '{ mount: /radio.ogg, format: vorbis, bitrate: 128, label: ... }'"))
                    continue
                }
                item.rejectUnknownKeys(streamKeys, prefix: "streams[].")
                let mount = item.string("mount", required: true)
                if let mount, !mount.hasPrefix("/") || mount.contains(" ") {
                    item.fail("mount", "'mount' must start with '/' like /radio.ogg, not '\(mount)'")
                }
                let format = item.string("format") ?? "vorbis"
                let bitrate = item.int("bitrate")
                let label = item.string("label") ?? [format.capitalized, bitrate.map { "\($0)k" }].compactMap { $0 }.joined(separator: " ")
                errors += item.errors
                if let mount, item.errors.isEmpty { streams.append(Stream(mount: mount, format: format, bitrate: bitrate, label: label)) }
            }
        } else {
            fields.fail("streams", "'streams' must list at least one stream: '- { mount: /radio.ogg, format: vorbis, bitrate: 128 }'")
        }
        if fields.node("streams") != nil, streams.isEmpty, errors.isEmpty {
            fields.fail("streams", "'streams' must list at least one stream")
        }
        let social = fields.stringMap("social")
        let artwork = fields.string("artwork")
        if let artwork, !imageExists(artwork) {
            fields.fail("artwork", "'artwork' points to \(artwork), which does not exist")
        }
        let icecast = fields.string("icecast_public_url")
        let feedItems = fields.int("feed_items")
        if let feedItems, !(1...10_000).contains(feedItems) {
            fields.fail("feed_items", "'feed_items' must be a whole number from 1 to 10000 (how many posts feed.xml carries), not \(feedItems)")
        }
        if !language.allSatisfy({ $0.isLetter || $0 == "-" }) || language.isEmpty || language.count > 12 {
            fields.fail("language", "'language' must be a language tag such as en or de, not '\(language)'")
        }
        errors = fields.errors + errors
        guard let name, let baseURL, let zone else { return (nil, errors) }
        var profile = StationProfile(
            name: name, tagline: tagline, description: description, baseURL: baseURL,
            language: language, timezone: zone, streams: streams, social: social,
            artwork: artwork, icecastPublicURL: icecast)
        if let feedItems, (1...10_000).contains(feedItems) { profile.feedItems = feedItems }
        profile.recordings = fields.string("recordings")
        return (profile, errors)
    }
}
