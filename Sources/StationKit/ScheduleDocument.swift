import Foundation

/// `site/schedule.json`: the schedule as `onair build` publishes it. The listener page reads it to
/// highlight what is on and convert times; `onaird` reads it to name the current and next show.
public struct ScheduleDocument: Codable, Sendable, Equatable {
    public struct ShowInfo: Codable, Sendable, Equatable {
        public var title: String
        public var host: String?
        /// Site-relative URL of the show page, e.g. `/shows/night-owls/`.
        public var url: String
        /// The show waits for a DJ (`live: true` in its front matter). Written only when true, so
        /// schedules without live shows keep their bytes; absent reads as false.
        public var live: Bool
        /// onaird records the show's airings (`record: false` in its front matter: never). Written
        /// only when false, like `live`; absent reads as true.
        public var record: Bool
        public init(title: String, host: String?, url: String, live: Bool = false, record: Bool = true) {
            self.title = title; self.host = host; self.url = url; self.live = live; self.record = record
        }
        enum CodingKeys: String, CodingKey { case title, host, url, live, record }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            title = try c.decode(String.self, forKey: .title)
            host = try c.decodeIfPresent(String.self, forKey: .host)
            url = try c.decode(String.self, forKey: .url)
            live = try c.decodeIfPresent(Bool.self, forKey: .live) ?? false
            record = try c.decodeIfPresent(Bool.self, forKey: .record) ?? true
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(title, forKey: .title); try c.encode(host, forKey: .host); try c.encode(url, forKey: .url)
            if live { try c.encode(live, forKey: .live) }
            if !record { try c.encode(record, forKey: .record) }
        }
    }

    /// One concrete airing, expanded for the page's convenience.
    public struct Airing: Codable, Sendable, Equatable {
        public var show: String
        public var start: Date
        public var end: Date
        public var special: Bool
        public var title: String
        public init(show: String, start: Date, end: Date, special: Bool, title: String) {
            self.show = show; self.start = start; self.end = end; self.special = special; self.title = title
        }
    }

    public var schema: Int
    /// The station's name from station.yaml: onaird names the station with it unless its own
    /// config says otherwise (one place to name a station). Absent in files from older builds.
    public var stationName: String?
    /// IANA zone of the station, e.g. `Europe/Berlin`.
    public var timezone: String
    public var shows: [String: ShowInfo]
    public var weekly: [WeeklySlot]
    public var specials: [SpecialSlot]
    /// Airings from the build time for the next 14 days (UTC). Informational: the daemon computes
    /// from `weekly` and `specials`, so a site that is not rebuilt for weeks still names the right show.
    public var upcoming: [Airing]

    public init(
        timezone: String, shows: [String: ShowInfo], weekly: [WeeklySlot], specials: [SpecialSlot], upcoming: [Airing],
        stationName: String? = nil
    ) {
        self.schema = 1
        self.stationName = stationName
        self.timezone = timezone; self.shows = shows; self.weekly = weekly; self.specials = specials; self.upcoming = upcoming
    }

    enum CodingKeys: String, CodingKey {
        case schema, stationName = "station_name", timezone, shows, weekly, specials, upcoming
    }

    public enum LoadError: Error, CustomStringConvertible {
        case unknownTimeZone(String)
        public var description: String {
            switch self {
            case .unknownTimeZone(let zone): "schedule.json names an unknown time zone '\(zone)'"
            }
        }
    }

    /// The schedule for time math, or an error when the zone is unknown to this machine.
    public func schedule() throws -> Schedule {
        guard let zone = TimeZone(identifier: timezone) else { throw LoadError.unknownTimeZone(timezone) }
        return Schedule(timeZone: zone, weekly: weekly, specials: specials)
    }

    /// The show slot the now-playing document carries for an airing.
    public func slot(for airing: Occurrence) -> NowPlayingDocument.ShowSlot {
        let info = shows[airing.show]
        return NowPlayingDocument.ShowSlot(
            title: airing.title ?? info?.title ?? airing.show, host: info?.host,
            url: info?.url, startsAt: airing.start, endsAt: airing.end)
    }

    public static func decode(_ data: Data) throws -> ScheduleDocument {
        try JSONDecoder.onAir().decode(ScheduleDocument.self, from: data)
    }
}
