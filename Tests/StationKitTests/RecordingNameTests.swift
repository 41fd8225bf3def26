import Foundation
import StationKit
import Testing

@Suite struct RecordingNameTests {
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    @Test(arguments: [
        ("2026-12-05T21:00:00Z", 1, "2026-12-05-2200"),  // station time, not UTC
        ("2026-07-01T22:30:00Z", 1, "2026-07-02-0030"),  // summer time, past midnight
        ("2026-12-05T21:00:00Z", 2, "2026-12-05-2200-2"),
    ])
    func namesAreStationTimeWithTheirPart(start: String, part: Int, expected: String) throws {
        let date = try #require(ISO8601.date(start))
        #expect(RecordingName.base(start: date, timeZone: berlin, part: part) == expected)
        let parsed = try #require(RecordingName.parse(expected + ".opus", timeZone: berlin))
        #expect(parsed.start == date && parsed.part == part)
    }

    @Test(arguments: [
        "notes.json", "2026-13-01-1000.opus", "2026-12-05-2460.json", "2026-12-05-1000-1.opus", "2026-12-05-1000-x.ogg",
        "26-12-05-1000.mp3", "", "2026-12-05.json",
    ])
    func otherNamesAreNotRecordings(name: String) {
        #expect(RecordingName.parse(name, timeZone: berlin) == nil)
    }

    @Test func temporaryNamesAreDotfilesEndingInPart() {
        #expect(RecordingName.temporary("2026-12-05-2200.opus") == ".2026-12-05-2200.opus.part")
        #expect(RecordingName.final(ofTemporary: ".2026-12-05-2200.opus.part") == "2026-12-05-2200.opus")
        #expect(RecordingName.final(ofTemporary: "2026-12-05-2200.opus") == nil)
        #expect(RecordingName.final(ofTemporary: ".part") == nil)
    }

    @Test(arguments: [("night-owls", true), ("..", false), (".hidden", false), ("a/b", false), ("", false), ("jazz_2", true)])
    func slugsThatMayBeFolders(slug: String, safe: Bool) {
        #expect(RecordingName.isSafeSlug(slug) == safe)
    }
}

@Suite struct RecordingSidecarTests {
    let sidecar = RecordingSidecar(
        show: .init(slug: "jazz", title: "Jazz \"Hour\""), start: ISO8601.date("2026-12-05T21:00:00Z")!,
        end: ISO8601.date("2026-12-05T22:00:00Z")!, live: true, dj: "Ann", file: "2026-12-05-2200.mp3", format: .mp3,
        part: 2, tracks: [.init(offset: 0, text: "A - B", artist: "A", title: "B"), .init(offset: 61.5, text: "ID")])

    @Test func roundTripsThroughJSON() throws {
        let data = try sidecar.encoded()
        #expect(try RecordingSidecar.decode(data) == sidecar)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"start\" : \"2026-12-05T21:00:00Z\""))
        #expect(text.contains("\"format\" : \"mp3\""))
        #expect(sidecar.duration == 3600)
    }

    @Test(arguments: [
        "{}", "not json",
        #"{"schema": 2, "show": {"slug": "a", "title": "A"}, "start": "2026-12-05T21:00:00Z", "end": "2026-12-05T21:00:00Z", "live": false, "file": "x.opus", "format": "opus", "part": 1, "tracks": []}"#,
        #"{"schema": 1, "show": {"slug": "a", "title": "A"}, "start": "yesterday", "end": "2026-12-05T21:00:00Z", "live": false, "file": "x.opus", "format": "opus", "part": 1, "tracks": []}"#,
        #"{"schema": 1, "show": {"slug": "a", "title": "A"}, "start": "2026-12-05T21:00:00Z", "end": "2026-12-05T21:00:00Z", "live": false, "file": "x.flac", "format": "flac", "part": 1, "tracks": []}"#,
    ])
    func badSidecarsAreRejected(text: String) {
        #expect(throws: (any Error).self) { try RecordingSidecar.decode(Data(text.utf8)) }
    }

    @Test func formatsHaveTheirExtensionAndMIMEType() {
        #expect(RecordingFormat.allCases.map(\.fileExtension) == ["opus", "mp3", "ogg"])
        #expect(RecordingFormat.allCases.map(\.mimeType) == ["audio/ogg", "audio/mpeg", "audio/ogg"])
    }
}
