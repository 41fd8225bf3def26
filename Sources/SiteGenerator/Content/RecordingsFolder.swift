import Foundation
import StationKit

/// The recordings folder onaird writes (`record.dir`): `<show>/<name>.json` sidecars beside their
/// audio. Read by `onair build` for "Listen again" and the podcast feeds; the audio is never copied
/// into the site (nginx serves the folder at `/recordings/`). A broken or half-written recording is
/// skipped with a warning: the daemon's output never stops a build.
struct RecordingsFolder: Sendable {
    /// One published recording.
    struct Recording: Sendable, Equatable {
        var sidecar: RecordingSidecar
        /// Exact size of the audio file in bytes (the enclosure length).
        var bytes: Int
        /// Site path of the audio: `/recordings/<show>/<file>`.
        var url: String
    }

    /// Site path nginx serves the folder at.
    static let sitePath = "/recordings/"

    /// By show slug, newest first.
    var byShow: [String: [Recording]] = [:]
    var warnings: [String] = []

    /// Every recording, newest first.
    var all: [Recording] {
        byShow.values.flatMap { $0 }.sorted { ($0.sidecar.start, $0.url) > ($1.sidecar.start, $1.url) }
    }

    init() {}

    /// Reads `url` (shown as `displayPath` in warnings). A missing folder is no recordings yet.
    init(url: URL, displayPath: String) {
        let manager = FileManager.default
        guard let shows = try? manager.contentsOfDirectory(atPath: url.path) else { return }
        for show in shows.sorted() where RecordingName.isSafeSlug(show) {
            let folder = url.appendingPathComponent(show).path
            guard let names = try? manager.contentsOfDirectory(atPath: folder) else { continue }
            var recordings: [Recording] = []
            for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
                let shown = "\(displayPath)/\(show)/\(name)"
                func skip(_ why: String) { warnings.append("\(shown): warning: \(why); recording skipped") }
                guard let data = manager.contents(atPath: folder + "/" + name) else {
                    skip("cannot read the file")
                    continue
                }
                let sidecar: RecordingSidecar
                do { sidecar = try RecordingSidecar.decode(data) } catch {
                    skip("not a recording sidecar (\(Self.explain(error)))")
                    continue
                }
                guard sidecar.show.slug == show else {
                    skip("its show '\(sidecar.show.slug)' is not the folder's '\(show)'")
                    continue
                }
                let file = sidecar.file
                guard !file.isEmpty, !file.hasPrefix("."), !file.contains("/"), file.hasSuffix("." + sidecar.format.fileExtension) else {
                    skip("'file' must name the audio beside it, ending in .\(sidecar.format.fileExtension)")
                    continue
                }
                var info = stat()
                guard stat(folder + "/" + file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else {
                    skip("its audio \(file) is missing or empty")
                    continue
                }
                guard sidecar.end >= sidecar.start else {
                    skip("it ends before it starts")
                    continue
                }
                recordings.append(Recording(sidecar: sidecar, bytes: Int(info.st_size), url: Self.sitePath + show + "/" + file))
            }
            if !recordings.isEmpty {
                byShow[show] = recordings.sorted { ($0.sidecar.start, $0.url) > ($1.sidecar.start, $1.url) }
            }
        }
    }

    private static func explain(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "'\(key.stringValue)' is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            context.codingPath.isEmpty
                ? "not valid JSON" : "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' is wrong"
        default: "\(error)"
        }
    }

    /// Path, size, modification and status-change time of every entry in the folder and its show
    /// folders: the build manifest's view of the recordings (a new, removed or finished one
    /// changes it; dotfiles, the parts being written, do not).
    static func stamps(_ url: URL) -> [String] {
        let manager = FileManager.default
        guard let shows = try? manager.contentsOfDirectory(atPath: url.path) else { return ["none"] }
        var stamps: [String] = []
        for show in shows.sorted() where !show.hasPrefix(".") {
            let folder = url.appendingPathComponent(show).path
            for name in ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).sorted() where !name.hasPrefix(".") {
                stamps.append("\(show)/\(name) " + BuildManifest.statText(folder + "/" + name, input: true))
            }
        }
        return stamps
    }
}
