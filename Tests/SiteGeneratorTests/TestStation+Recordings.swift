import Foundation
import StationKit
import Testing

@testable import SiteGenerator

/// Recordings in the test station's `rec/` folder, as onaird leaves them, and builds that read them.
extension TestStation {
    static func sidecar(_ show: String, _ start: String, title: String = "Night Owls", tracks: [RecordingSidecar.Track] = [])
        throws -> RecordingSidecar
    {
        let date = try #require(ISO8601.date(start))
        let name = RecordingName.base(start: date, timeZone: try #require(TimeZone(identifier: "Europe/Berlin")))
        return RecordingSidecar(
            show: .init(slug: show, title: title), start: date, end: date.addingTimeInterval(3723), live: false,
            dj: "Sam <script>", file: name + ".opus", format: .opus, tracks: tracks)
    }

    /// The sidecar and `bytes` of stand-in audio under `rec/<show>/`.
    func addRecording(_ sidecar: RecordingSidecar, bytes: Int = 1234) throws {
        let folder = root.appendingPathComponent("rec/\(sidecar.show.slug)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(repeating: 7, count: bytes).write(to: folder.appendingPathComponent(sidecar.file))
        try sidecar.encoded().write(to: folder.appendingPathComponent(sidecar.file.replacingOccurrences(of: ".opus", with: ".json")))
    }

    /// A build with `--recordings rec`: its summary and log.
    func buildWithRecordings() throws -> (SiteBuilder.Summary, [String]) {
        var options = options()
        options.recordingsURL = root.appendingPathComponent("rec")
        let log = Locked<[String]>([])
        let summary = try SiteBuilder(options: options, log: { line in log.withLock { $0.append(line) } }).run()
        return (summary, log.withLock { $0 })
    }
}
