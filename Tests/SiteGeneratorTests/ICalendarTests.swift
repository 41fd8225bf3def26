import Foundation
import StationKit
import Testing

@testable import SiteGenerator

@Suite struct ICalendarTests {
    @Test func berlinGetsYearlyDaylightAndStandardRules() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build()
        let text = try station.read("site/schedule.ics")
        #expect(
            text.contains(
                """
                BEGIN:VTIMEZONE\r
                TZID:Europe/Berlin\r
                BEGIN:DAYLIGHT\r
                DTSTART:20260329T020000\r
                RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
                TZOFFSETFROM:+0100\r
                TZOFFSETTO:+0200\r
                END:DAYLIGHT\r
                BEGIN:STANDARD\r
                DTSTART:20261025T030000\r
                RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
                TZOFFSETFROM:+0200\r
                TZOFFSETTO:+0100\r
                END:STANDARD\r
                END:VTIMEZONE\r
                """))
        // Friday's Night Owls: weekly, in station time, crossing midnight.
        #expect(
            text.contains(
                """
                UID:weekly-friday-2200-night-owls@kanal-elbe.example\r
                DTSTAMP:20261124T230000Z\r
                DTSTART;TZID=Europe/Berlin:20261127T220000\r
                DTEND;TZID=Europe/Berlin:20261128T020000\r
                RRULE:FREQ=WEEKLY;BYDAY=FR\r
                """))
        // Christmas Eve replaces Thursday's Dockside Jazz once; the special is a single event.
        #expect(text.contains("RRULE:FREQ=WEEKLY;BYDAY=TH\r\nEXDATE;TZID=Europe/Berlin:20261224T200000\r\nSUMMARY:Dockside Jazz\r\n"))
        #expect(
            text.contains(
                """
                UID:special-2026-12-24-1800-vinyl-archive@kanal-elbe.example\r
                DTSTAMP:20261124T230000Z\r
                DTSTART;TZID=Europe/Berlin:20261224T180000\r
                DTEND;TZID=Europe/Berlin:20261224T220000\r
                SUMMARY:Christmas Eve in the Archive\r
                """))
    }

    @Test func aZoneWithoutDSTHasOneStandardBlock() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.edit("Content/station.yaml", replacing: "timezone: Europe/Berlin", with: "timezone: Asia/Tokyo")
        try station.build()
        let text = try station.read("site/schedule.ics")
        #expect(text.contains("TZID:Asia/Tokyo\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\n"))
        #expect(!text.contains("BEGIN:DAYLIGHT"))
    }

    @Test func longLinesFoldAt75OctetsWithoutSplittingCharacters() {
        let line = "DESCRIPTION:" + String(repeating: "Café ", count: 30)
        let folded = ICalendar.fold(line)
        let parts = folded.components(separatedBy: "\r\n")
        #expect(parts.count > 1)
        #expect(parts.allSatisfy { $0.utf8.count <= 75 })
        #expect(parts.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(parts.enumerated().map { $0.offset == 0 ? $0.element : String($0.element.dropFirst()) }.joined() == line)
    }

    @Test func textValuesAreEscaped() {
        #expect(Escaping.icalText("Rock, Pop; and\\more\nnext") == "Rock\\, Pop\\; and\\\\more\\nnext")
    }

    @Test(arguments: [
        // Spring forward (2026-03-29): Sunday 10:00 is 08:00 UTC; Saturday's Night Owls ends at 02:00
        // local, which does not exist that night, so it ends at 03:00 CEST = 01:00 UTC (3 real hours).
        (
            "2026-03-27T12:00:00Z",
            #"data-day="sunday" data-weekly-start="10:00" data-weekly-end="16:00" data-start="2026-03-29T08:00:00Z" data-end="2026-03-29T14:00:00Z""#,
            #"data-day="saturday" data-weekly-start="22:00" data-weekly-end="02:00" data-start="2026-03-28T21:00:00Z" data-end="2026-03-29T01:00:00Z""#
        ),
        // Fall back (2026-10-25, 03:00 CEST -> 02:00 CET): Sunday 10:00 is 09:00 UTC; Night Owls ends at
        // the first 02:00 (still CEST), 00:00 UTC: 4 real hours.
        (
            "2026-10-23T12:00:00Z",
            #"data-day="sunday" data-weekly-start="10:00" data-weekly-end="16:00" data-start="2026-10-25T09:00:00Z" data-end="2026-10-25T15:00:00Z""#,
            #"data-day="saturday" data-weekly-start="22:00" data-weekly-end="02:00" data-start="2026-10-24T20:00:00Z" data-end="2026-10-25T00:00:00Z""#
        ),
    ])
    func nextAiringsFollowDSTInTheStationZone(now: String, sunday: String, saturdayNight: String) throws {
        let station = try TestStation(); defer { station.remove() }
        try station.build(now: try #require(ISO8601.date(now)))
        let page = try station.read("site/schedule/index.html")
        #expect(page.contains(sunday))
        #expect(page.contains(saturdayNight))
    }
}
