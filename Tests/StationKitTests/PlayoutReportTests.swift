import Foundation
import StationKit
import Testing

@Suite struct PlayoutReportTests {
    static func entry(
        _ start: String, _ title: String, kind: PlayoutEntry.Kind = .music, listeners: Int = 2,
        artist: String? = "Band", isrc: String? = nil
    ) -> PlayoutEntry {
        PlayoutEntry(
            start: ISO8601.date(start) ?? Date(), seconds: 180.25, artist: artist, title: title, album: "LP",
            label: "Label", isrc: isrc, show: "rotation", kind: kind, file: "rotation/\(title).ogg", listeners: listeners)
    }

    static func log(_ entries: [PlayoutEntry]) throws -> String {
        try entries.map { String(decoding: try $0.line(), as: UTF8.self) }.joined()
    }

    @Test func entriesRoundTripAsOneJSONLineEach() throws {
        let entry = Self.entry("2026-12-04T10:00:00Z", "Song", isrc: "USRC17607839")
        let line = String(decoding: try entry.line(), as: UTF8.self)
        #expect(
            line
                == #"{"album":"LP","artist":"Band","file":"rotation/Song.ogg","isrc":"USRC17607839","kind":"music","label":"Label","listeners":2,"seconds":180.25,"show":"rotation","start":"2026-12-04T10:00:00Z","title":"Song"}"#
                + "\n")
        #expect(try JSONDecoder.onAir().decode(PlayoutEntry.self, from: Data(line.utf8)) == entry)
    }

    @Test func csvListsEveryItemInOrderQuotedAndFiltered() throws {
        let text =
            try Self.log([
                Self.entry("2026-12-04T10:03:00Z", "Second, \"quoted\""),
                Self.entry("2026-12-04T10:00:00Z", "=cmd()", kind: .id),
                Self.entry("2026-12-05T10:00:00Z", "Next day"),
            ]) + "garbage\n"
        let report = PlayoutReport(
            log: text, file: "playout.log", from: PlayoutReport.date("2026-12-04", endOfDay: false),
            to: PlayoutReport.date("2026-12-04", endOfDay: true))
        #expect(report.problems.map(\.description) == ["playout.log:4: warning: not a playout entry (skipped)"])
        #expect(
            report.render(.csv, service: "X")
                == [
                    "start,seconds,artist,title,album,label,isrc,show,kind,file,listeners",
                    "2026-12-04T10:00:00Z,180.2,Band,'=cmd(),LP,Label,,rotation,id,rotation/=cmd().ogg,2",
                    #"2026-12-04T10:03:00Z,180.2,Band,"Second, ""quoted""",LP,Label,,rotation,music,"rotation/Second, ""quoted"".ogg",2"#,
                ].map { $0 + "\r\n" }.joined())
    }

    @Test func soundExchangeSumsPerformancesPerRecordingMusicOnly() throws {
        let text = try Self.log([
            Self.entry("2026-12-04T10:00:00Z", "Song", listeners: 3, isrc: "USRC17607839"),
            Self.entry("2026-12-04T10:04:00Z", "Station ID", kind: .id, listeners: 9),
            Self.entry("2026-12-04T10:05:00Z", "Song", listeners: 4, isrc: "USRC17607839"),
        ])
        let report = PlayoutReport(log: text, file: "p.log")
        #expect(
            report.render(.soundexchange, service: "Radio\tTest")
                == [
                    "NAME_OF_SERVICE\tFEATURED_ARTIST\tSOUND_RECORDING_TITLE\tISRC\tALBUM_TITLE\tMARKETING_LABEL\tACTUAL_TOTAL_PERFORMANCES\tPLAYS",
                    "Radio Test\tBand\tSong\tUSRC17607839\tLP\tLabel\t7\t2",
                ].map { $0 + "\r\n" }.joined())
    }
}
