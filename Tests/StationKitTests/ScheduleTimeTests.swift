import Foundation
import Testing

@testable import StationKit

@Suite struct ScheduleTimeTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    func utc(_ text: String) -> Date { ISO8601.date(text)! }

    @Test func slotCrossingMidnightEndsNextDay() {
        // 2026-11-27 is a Friday.
        let schedule = Schedule(
            timeZone: berlin,
            weekly: [
                WeeklySlot(
                    day: .friday, start: TimeOfDay(hour: 22, minute: 0),
                    end: TimeOfDay(hour: 2, minute: 0), show: "owls")
            ])
        let airing = schedule.onAir(at: utc("2026-11-28T00:30:00Z"))
        #expect(airing?.show == "owls")
        #expect(airing.map { ISO8601.string($0.start) } == "2026-11-27T21:00:00Z")
        #expect(airing.map { ISO8601.string($0.end) } == "2026-11-28T01:00:00Z")
    }

    @Test(arguments: [
        // Spring forward in Berlin: 2026-03-29 02:00 -> 03:00. A 01:00–04:00 slot lasts 2 real hours.
        ("2026-03-29", "2026-03-29T00:00:00Z", "2026-03-29T02:00:00Z"),
        // Fall back: 2026-10-25 03:00 -> 02:00. The same slot lasts 4 real hours.
        ("2026-10-25", "2026-10-24T23:00:00Z", "2026-10-25T03:00:00Z"),
    ])
    func dstChangesTheRealLength(day: String, start: String, end: String) {
        let schedule = Schedule(
            timeZone: berlin,
            weekly: [
                WeeklySlot(
                    day: .sunday, start: TimeOfDay(hour: 1, minute: 0),
                    end: TimeOfDay(hour: 4, minute: 0), show: "x")
            ])
        let date = LocalDate(parsing: day)!
        let airings = schedule.occurrences(
            from: schedule.instant(date, TimeOfDay(minutes: 0)),
            to: schedule.instant(date, TimeOfDay(minutes: 1440)))
        #expect(airings.map { ISO8601.string($0.start) } == [start])
        #expect(airings.map { ISO8601.string($0.end) } == [end])
    }

    @Test func specialReplacesTheOverlappedPartOfTheWeek() {
        let schedule = Schedule(
            timeZone: berlin,
            weekly: [WeeklySlot(day: .thursday, start: TimeOfDay(hour: 18, minute: 0), end: TimeOfDay(hour: 22, minute: 0), show: "jazz")],
            specials: [
                SpecialSlot(
                    date: LocalDate(year: 2026, month: 12, day: 24), start: TimeOfDay(hour: 20, minute: 0),
                    end: TimeOfDay(hour: 23, minute: 0), show: "carols", title: "Carols")
            ])
        let day = LocalDate(year: 2026, month: 12, day: 24)
        let airings = schedule.occurrences(
            from: schedule.instant(day, TimeOfDay(minutes: 0)),
            to: schedule.instant(day, TimeOfDay(minutes: 1440)))
        #expect(airings.map(\.show) == ["jazz", "carols"])
        #expect(airings.map { ISO8601.string($0.end) } == ["2026-12-24T19:00:00Z", "2026-12-24T22:00:00Z"])
        #expect(schedule.onAir(at: utc("2026-12-24T19:30:00Z"))?.title == "Carols")
        // The week after, jazz runs its full slot again.
        #expect(schedule.onAir(at: utc("2026-12-31T20:30:00Z"))?.show == "jazz")
    }

    @Test func nextFindsTheFollowingAiring() {
        let schedule = Schedule(
            timeZone: berlin,
            weekly: [
                WeeklySlot(day: .monday, start: TimeOfDay(hour: 6, minute: 0), end: TimeOfDay(hour: 9, minute: 0), show: "morning"),
                WeeklySlot(day: .monday, start: TimeOfDay(hour: 9, minute: 0), end: TimeOfDay(hour: 12, minute: 0), show: "midday"),
            ])
        let now = utc("2026-11-30T06:00:00Z")  // Monday 07:00 in Berlin
        #expect(schedule.onAir(at: now)?.show == "morning")
        #expect(schedule.next(after: now)?.show == "midday")
        #expect(schedule.next(after: utc("2026-11-30T12:00:00Z")).map { ISO8601.string($0.start) } == "2026-12-07T05:00:00Z")
    }

    @Test(arguments: ["24:01", "25:00", "7:5", "ab:cd", "12:60", "", "12", "-1:00"])
    func badTimesAreRejected(text: String) {
        #expect(TimeOfDay(parsing: text) == nil)
    }

    @Test func nowPlayingWritesExplicitNulls() throws {
        let doc = NowPlayingDocument(
            updatedAt: utc("2026-11-24T21:00:05Z"), interval: 5,
            station: .init(name: "R", listenURL: "u", mounts: []))
        let json = String(decoding: try doc.encoded(), as: UTF8.self)
        #expect(json.contains(#""next_show":null"#))
        #expect(json.contains(#""streamer":null"#))
        #expect(json.contains(#""updated_at":"2026-11-24T21:00:05Z""#))
        #expect(try NowPlayingDocument.decode(doc.encoded()) == doc)
    }
}

@Suite struct ScheduleJSONTests {
    @Test func slotsEncodeAsPlainStrings() throws {
        let slot = SpecialSlot(
            date: LocalDate(year: 2026, month: 12, day: 24), start: TimeOfDay(hour: 22, minute: 0),
            end: TimeOfDay(hour: 2, minute: 0), show: "owls")
        let weekly = WeeklySlot(day: .friday, start: TimeOfDay(hour: 22, minute: 0), end: TimeOfDay(hour: 2, minute: 0), show: "owls")
        let encoder = JSONEncoder.onAir()
        #expect(
            String(decoding: try encoder.encode(slot), as: UTF8.self)
                == #"{"date":"2026-12-24","end":"02:00","show":"owls","start":"22:00"}"#)
        #expect(
            String(decoding: try encoder.encode(weekly), as: UTF8.self)
                == #"{"day":"friday","end":"02:00","show":"owls","start":"22:00"}"#)
        #expect(
            try JSONDecoder.onAir().decode(WeeklySlot.self, from: Data(#"{"day":"Fri","end":"02:00","show":"owls","start":"22:00"}"#.utf8)) == weekly)
    }
}
