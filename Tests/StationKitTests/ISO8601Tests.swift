import Foundation
import Testing

@testable import StationKit

@Suite struct ISO8601Tests {
    @Test func parsesUTCAndOffsets() {
        let expected = Date(timeIntervalSince1970: 1_795_554_005)  // 2026-11-24T21:00:05Z
        #expect(ISO8601.date("2026-11-24T21:00:05Z") == expected)
        #expect(ISO8601.date("2026-11-24T22:00:05+0100") == expected)  // Icecast's form
        #expect(ISO8601.date("2026-11-24T22:00:05+01:00") == expected)
        #expect(ISO8601.date("2026-11-24T15:30:05-05:30") == expected)
        #expect(ISO8601.date("2026-11-24T21:00:05.250Z") == expected.addingTimeInterval(0.25))
    }

    @Test func rejectsWhatIsNotADate() {
        for text in [
            "", "2026-11-24", "2026-11-24T21:00:05", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
            "2026-11-24T24:00:00Z", "2026-11-24T21:60:00Z", "2026-11-24T21:00:05Zjunk",
            "2026-11-24T21:00:05.Z", "2026-11-24 21:00:05Z", "２026-11-24T21:00:05Z", "2026-11-24T21:00:05+1",
        ] {
            #expect(ISO8601.date(text) == nil, "\(text)")
        }
        #expect(ISO8601.date("2028-02-29T00:00:00Z") != nil)  // a leap day
    }

    @Test func roundTripsAcrossCenturiesAndLeapDays() {
        // Every 9 days and 7 hours from 1900 to 2100: formatting and parsing agree with each other
        // and with Foundation's Gregorian calendar in UTC.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var seconds: Int64 = -2_208_988_800
        while seconds < 4_102_444_800 {
            let date = Date(timeIntervalSince1970: Double(seconds))
            let text = ISO8601.string(date)
            #expect(ISO8601.date(text) == date)
            let parts = calendar.dateComponents([.year, .month, .day, .hour], from: date)
            let expected =
                "\(ISO8601.padded(parts.year!, 4))-\(ISO8601.padded(parts.month!, 2))-"
                + "\(ISO8601.padded(parts.day!, 2))T\(ISO8601.padded(parts.hour!, 2))"
            #expect(text.hasPrefix(expected), "\(text) vs \(expected)")
            seconds += 9 * 86_400 + 7 * 3600
        }
    }
}
