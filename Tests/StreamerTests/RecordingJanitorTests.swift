import Foundation
import Logging
import StationKit
import Testing

@testable import Streamer

@Suite struct RecordingJanitorTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let utc = TimeZone(identifier: "UTC")!

    func janitor(_ folder: TemporaryFolder, keepDays: Int = 30) -> RecordingJanitor {
        RecordingJanitor(
            settings: RecordingSettings(dir: folder.path("rec"), keepDays: keepDays, scheduleFile: "/nowhere"), logger: logger)
    }

    func names(_ folder: TemporaryFolder, _ show: String = "jazz") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path("rec/\(show)")).sorted()
    }

    @Test func airingsOlderThanKeepDaysGoWithTheirSidecars() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path("rec/jazz"), withIntermediateDirectories: true)
        for name in [
            "2026-10-01-1000.opus", "2026-10-01-1000.json", "2026-10-01-1000-2.opus", "2026-10-01-1000-2.json",
            "2026-11-20-1000.opus", "2026-11-20-1000.json", "notes.txt",
        ] {
            try folder.write("rec/jazz/\(name)", "x")
        }
        let now = ISO8601.date("2026-12-05T12:00:00Z")!
        janitor(folder).recoverAndPrune(now: now, timeZone: utc)
        #expect(try names(folder) == ["2026-11-20-1000.json", "2026-11-20-1000.opus", "notes.txt"])
        janitor(folder, keepDays: 0).recoverAndPrune(now: now.addingTimeInterval(1e8), timeZone: utc)
        #expect(try names(folder).count == 3)  // keep_days: 0 keeps everything
    }

    @Test func aPartACrashLeftIsPublishedWithItsSidecar() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path("rec/jazz"), withIntermediateDirectories: true)
        let start = ISO8601.date("2026-12-05T10:00:00Z")!
        let sidecar = RecordingSidecar(
            show: .init(slug: "jazz", title: "Jazz"), start: start, end: start, live: false, dj: nil,
            file: "2026-12-05-1000.opus", format: .opus, tracks: [.init(offset: 1, text: "T")])
        try FileManager.default.createDirectory(atPath: folder.path("rec/owls"), withIntermediateDirectories: true)
        try sidecar.encoded().write(to: URL(fileURLWithPath: folder.path("rec/jazz/.2026-12-05-1000.json.part")))
        try folder.write("rec/jazz/.2026-12-05-1000.opus.part", "OggS audio so far")
        try folder.write("rec/owls/.2026-12-05-2200.opus.part", "")  // nothing written: removed
        let written = start.addingTimeInterval(42)
        try FileManager.default.setAttributes(
            [.modificationDate: written], ofItemAtPath: folder.path("rec/jazz/.2026-12-05-1000.opus.part"))

        janitor(folder).recoverAndPrune(now: start.addingTimeInterval(60), timeZone: utc)
        #expect(try names(folder) == ["2026-12-05-1000.json", "2026-12-05-1000.opus"])
        #expect(try names(folder, "owls") == [])
        let recovered = try RecordingSidecar.decode(Data(contentsOf: URL(fileURLWithPath: folder.path("rec/jazz/2026-12-05-1000.json"))))
        #expect(recovered.end == written && recovered.tracks == sidecar.tracks)
    }
}
