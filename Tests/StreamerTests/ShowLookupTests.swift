import Foundation
import StationKit
import Testing

@testable import Streamer

@Suite struct ShowLookupTests {
    static let document = ScheduleDocument(
        timezone: "Europe/Berlin",
        shows: [
            "night-owls": .init(title: "Night Owls", host: "Sam", url: "/shows/night-owls/"),
            "breakfast": .init(title: "Breakfast", host: nil, url: "/shows/breakfast/"),
        ],
        weekly: [
            WeeklySlot(day: .tuesday, start: TimeOfDay(hour: 22, minute: 0), end: TimeOfDay(hour: 2, minute: 0), show: "night-owls"),
            WeeklySlot(day: .wednesday, start: TimeOfDay(hour: 7, minute: 0), end: TimeOfDay(hour: 9, minute: 0), show: "breakfast"),
        ],
        specials: [], upcoming: [])

    @Test func currentAndNextShow() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("schedule.json")
        try JSONEncoder.onAir().encode(Self.document).write(to: file)
        var lookup = ShowLookup(file: file)
        // Tuesday 2026-11-24 23:30 in Berlin = 22:30 UTC
        let during = try #require(ISO8601.date("2026-11-24T22:30:00Z"))
        let shows = lookup.shows(at: during)
        #expect(
            shows.show
                == NowPlayingDocument.ShowSlot(
                    title: "Night Owls", host: "Sam", url: "/shows/night-owls/",
                    startsAt: try #require(ISO8601.date("2026-11-24T21:00:00Z")),
                    endsAt: try #require(ISO8601.date("2026-11-25T01:00:00Z"))))
        #expect(shows.next?.title == "Breakfast")
        #expect(shows.next?.startsAt == ISO8601.date("2026-11-25T06:00:00Z"))
        #expect(lookup.problem == nil)

        let between = try #require(ISO8601.date("2026-11-25T03:00:00Z"))
        #expect(lookup.shows(at: between).show == nil)
        #expect(lookup.shows(at: between).next?.title == "Breakfast")
    }

    @Test func missingOrBrokenFileMeansNoShowAndAProblem() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("schedule.json")
        var lookup = ShowLookup(file: file)
        #expect(lookup.shows(at: Date()) == .init())
        #expect(lookup.problem?.contains("does not exist") == true)
        try Data("{".utf8).write(to: file)
        #expect(lookup.shows(at: Date()) == .init())
        #expect(lookup.problem?.contains("is not a valid schedule.json") == true)
        try JSONEncoder.onAir().encode(Self.document).write(to: file)
        #expect(lookup.shows(at: Date()).next != nil)
        #expect(lookup.problem == nil)
    }
}
