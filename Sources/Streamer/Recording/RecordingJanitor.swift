import Foundation
import Logging
import StationKit

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps the recordings folder tidy: a part a crash left under its temporary name is published
/// (the audio so far, and its sidecar with the end taken from the file's modification time), and
/// airings older than `keep_days` are deleted with their sidecars. Runs on the recorder's thread.
struct RecordingJanitor {
    let settings: RecordingSettings
    let logger: Logger

    func recoverAndPrune(now: Date, timeZone: TimeZone) {
        let manager = FileManager.default
        guard let shows = try? manager.contentsOfDirectory(atPath: settings.dir) else { return }
        for show in shows.sorted() where RecordingName.isSafeSlug(show) {
            let folder = settings.dir + "/" + show
            guard let names = try? manager.contentsOfDirectory(atPath: folder) else { continue }
            for name in names where RecordingName.final(ofTemporary: name) != nil {
                recover(name, in: folder)
            }
            guard settings.keepDays > 0 else { continue }
            let oldest = now.addingTimeInterval(-Double(settings.keepDays) * 86_400)
            for name in names.sorted() where !name.hasPrefix(".") {
                guard let parsed = RecordingName.parse(name, timeZone: timeZone), parsed.start < oldest else { continue }
                if unlink(folder + "/" + name) == 0 {
                    logger.info("old recording removed", metadata: ["record.file": "\(folder)/\(name)", "record.keep_days": "\(settings.keepDays)"])
                }
            }
        }
    }

    /// `.<name>.<ext>.part` -> `<name>.<ext>`; `.<name>.json.part` -> `<name>.json` with its end.
    private func recover(_ temporary: String, in folder: String) {
        guard let final = RecordingName.final(ofTemporary: temporary) else { return }
        let path = folder + "/" + temporary
        if final.hasSuffix(".json") {
            // The sidecar follows its audio (below); one left alone is published only if the audio was.
            guard let data = FileManager.default.contents(atPath: path), var sidecar = try? RecordingSidecar.decode(data) else {
                unlink(path)
                return
            }
            let audio = folder + "/" + sidecar.file
            let pending = folder + "/" + RecordingName.temporary(sidecar.file)
            if FileManager.default.fileExists(atPath: pending) { recover(RecordingName.temporary(sidecar.file), in: folder) }
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: audio),
                let modified = attributes[.modificationDate] as? Date
            else {
                unlink(path)
                return
            }
            sidecar.end = max(sidecar.end, modified)
            if let encoded = try? sidecar.encoded(), (try? AtomicFileWriter.write(encoded, to: URL(fileURLWithPath: folder + "/" + final))) != nil {
                unlink(path)
                logger.warning("recording left by a crash recovered", metadata: ["record.file": "\(audio)"])
            }
            return
        }
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        if info.st_size == 0 {
            unlink(path)
            return
        }
        rename(path, folder + "/" + final)
    }
}
