import Foundation
import StationKit
import Testing

@testable import SiteGenerator

@Suite struct ScheduleParserTests {
    let parser = ScheduleParser(
        path: "Content/schedule.md", contentPath: "Content",
        shows: [
            .init(slug: "night-owls", title: "Night Owls"), .init(slug: "late-jazz", title: "Late Jazz"),
            .init(slug: "drive", title: "Drive"),
        ])

    static func day(_ name: String, _ rows: String...) -> String {
        "## \(name)\n| Time | Show |\n|------|------|\n" + rows.joined(separator: "\n") + "\n"
    }

    @Test(arguments: [
        ("| 22:00–02:00 | [Night Owls](shows/night-owls.md) |", true, 240),
        ("| 06:00-09:00 | Drive |", false, 180),
        ("| 23:00—24:00 | night-owls |", true, 60),
    ])
    func slotsAndMidnight(row: String, crosses: Bool, minutes: Int) throws {
        let result = parser.parse(Self.day("Friday", row))
        #expect(result.errors.isEmpty)
        let slot = try #require(result.weekly.first?.slot)
        #expect(slot.day == .friday)
        #expect(slot.crossesMidnight == crosses)
        #expect(slot.lengthMinutes == minutes)
        #expect(result.weekly.first?.line == 4)
    }

    @Test func slotCrossingMidnightAirsIntoTheNextDay() throws {
        let result = parser.parse(Self.day("Saturday", "| 22:00–02:00 | [Night Owls](shows/night-owls.md) |"))
        let schedule = Schedule(timeZone: try #require(TimeZone(identifier: "Europe/Berlin")), weekly: result.weekly.map(\.slot))
        // Sunday 2026-11-29 01:30 Berlin = 00:30 UTC: still Saturday's Night Owls.
        let instant = try #require(ISO8601.date("2026-11-29T00:30:00Z"))
        let airing = try #require(schedule.onAir(at: instant))
        #expect(airing.show == "night-owls")
        #expect(ISO8601.string(airing.start) == "2026-11-28T21:00:00Z")
        #expect(ISO8601.string(airing.end) == "2026-11-29T01:00:00Z")
    }

    @Test func specialsAreParsedWithTheirTitle() throws {
        let text =
            Self.day("Thursday", "| 20:00–22:00 | Late Jazz |") + """
                ## Specials
                | Date | Time | Show | Title |
                |------|------|------|-------|
                | 2026-12-31 | 22:00–02:00 | [Night Owls](shows/night-owls.md) | New Year's Eve |
                | 2026-12-24 | 20:00–21:00 | late-jazz | |
                """
        let result = parser.parse(text)
        #expect(result.errors.isEmpty)
        #expect(
            result.specials.map(\.slot) == [
                SpecialSlot(
                    date: LocalDate(year: 2026, month: 12, day: 31), start: TimeOfDay(hour: 22, minute: 0),
                    end: TimeOfDay(hour: 2, minute: 0), show: "night-owls", title: "New Year's Eve"),
                SpecialSlot(
                    date: LocalDate(year: 2026, month: 12, day: 24), start: TimeOfDay(hour: 20, minute: 0),
                    end: TimeOfDay(hour: 21, minute: 0), show: "late-jazz", title: nil),
            ])
        // The special overrides the week: on Christmas Eve jazz runs 21:00–22:00 only.
        let schedule = Schedule(
            timeZone: try #require(TimeZone(identifier: "Europe/Berlin")),
            weekly: result.weekly.map(\.slot), specials: result.specials.map(\.slot))
        let from = try #require(ISO8601.date("2026-12-24T18:00:00Z")), to = try #require(ISO8601.date("2026-12-24T22:00:00Z"))
        let eve = schedule.occurrences(from: from, to: to)
        #expect(
            eve.map { "\($0.show) \(ISO8601.string($0.start)) \($0.isSpecial)" } == [
                "late-jazz 2026-12-24T19:00:00Z true", "late-jazz 2026-12-24T20:00:00Z false",
            ])
    }

    @Test(arguments: [
        (
            Self.day("Monday", "| 25:00–26:00 | Drive |"),
            "Content/schedule.md:4: error: '25:00' is not a time (use HH:MM from 00:00 to 23:59; 24:00 only as an end)"
        ),
        (
            Self.day("Monday", "| 10:00–10:00 | Drive |"),
            "Content/schedule.md:4: error: slot 10:00–10:00 on Monday has no length (the end equals the start)"
        ),
        (
            Self.day("Funday", "| 10:00–11:00 | Drive |"),
            "Content/schedule.md:1: error: unknown weekday 'Funday' (use Monday to Sunday, or Specials)"
        ),
        (
            Self.day("Monday", "| 10:00–11:00 | [Late Night](shows/late-night.md) |"),
            "Content/schedule.md:4: error: unknown show 'late-night' (there is no Content/shows/late-night.md)"
        ),
        (
            Self.day("Monday", "| 10:00–11:00 | Breakfast Club |"),
            "Content/schedule.md:4: error: unknown show 'Breakfast Club' (there is no Content/shows/Breakfast Club.md)"
        ),
        (
            Self.day("Monday", "| 10 to 11 | Drive |"),
            "Content/schedule.md:4: error: '10 to 11' is not a time range (write it like 22:00–02:00)"
        ),
        (
            "| 10:00–11:00 | Drive |\n",
            "Content/schedule.md:1: error: slot outside a day (put it under a '## Monday' … '## Sunday' or '## Specials' heading)"
        ),
        (
            "## Specials\n| Date | Time | Show |\n|---|---|---|\n| 2026-02-30 | 10:00–11:00 | Drive |\n",
            "Content/schedule.md:4: error: '2026-02-30' is not a date (use YYYY-MM-DD)"
        ),
    ])
    func badRowsGiveExactErrors(text: String, expected: String) {
        #expect(parser.parse(text).errors.map(\.description) == [expected])
    }

    @Test func overlapNamesBothLines() {
        let text = Self.day("Friday", "| 20:00–23:00 | Late Jazz |", "| 22:00–02:00 | [Night Owls](shows/night-owls.md) |")
        #expect(
            parser.parse(text).errors.map(\.description) == [
                "Content/schedule.md:5: error: slot 22:00–02:00 on Friday overlaps 'Late Jazz' (line 4)"
            ])
    }

    @Test func overlapAcrossMidnightIntoTheNextDay() {
        let text = Self.day("Friday", "| 22:00–02:00 | Night Owls |") + Self.day("Saturday", "| 01:00–03:00 | Drive |")
        #expect(
            parser.parse(text).errors.map(\.description) == [
                "Content/schedule.md:8: error: slot 01:00–03:00 on Saturday overlaps 'Night Owls' (line 4)"
            ])
    }

    @Test func overlapAcrossTheEndOfTheWeek() {
        let text = Self.day("Monday", "| 00:00–02:00 | Drive |") + Self.day("Sunday", "| 23:00–01:00 | Night Owls |")
        #expect(
            parser.parse(text).errors.map(\.description) == [
                "Content/schedule.md:8: error: slot 23:00–01:00 on Sunday overlaps 'Drive' (line 4)"
            ])
    }

    @Test func specialsMayNotOverlapEachOther() {
        let text =
            "## Specials\n| Date | Time | Show |\n|---|---|---|\n| 2026-12-31 | 22:00–02:00 | Night Owls |\n| 2027-01-01 | 01:00–03:00 | Drive |\n"
        #expect(
            parser.parse(text).errors.map(\.description) == [
                "Content/schedule.md:5: error: slot 01:00–03:00 on 2027-01-01 overlaps 'Night Owls' (line 4)"
            ])
    }

    @Test func everyErrorIsReportedNotJustTheFirst() {
        let text = Self.day("Monday", "| 25:00–26:00 | Drive |", "| 10:00–10:00 | Drive |", "| 11:00–12:00 | Nobody |")
        #expect(parser.parse(text).errors.map(\.line) == [4, 5, 6])
    }

    @Test func adjacentSlotsDoNotOverlap() {
        let text = Self.day("Friday", "| 18:00–22:00 | Late Jazz |", "| 22:00–02:00 | Night Owls |") + Self.day("Saturday", "| 02:00–06:00 | Drive |")
        #expect(parser.parse(text).errors.isEmpty)
    }
}
