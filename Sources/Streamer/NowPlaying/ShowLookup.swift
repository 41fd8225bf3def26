import Foundation
import StationKit

#if canImport(Glibc)
    import Glibc
#endif

/// The current and next show from `site/schedule.json`, re-read when the file changes.
struct ShowLookup: Sendable {
    struct Shows: Sendable, Equatable {
        var show: NowPlayingDocument.ShowSlot?
        var next: NowPlayingDocument.ShowSlot?
        init(show: NowPlayingDocument.ShowSlot? = nil, next: NowPlayingDocument.ShowSlot? = nil) {
            self.show = show; self.next = next
        }
    }

    var file: URL
    private var loadedStamp: [Int]?
    /// The last `airing(at:)` answer and the stretch of time it holds for (until the file changes):
    /// the recorder asks for every block, and working out a week's occurrences each time costs.
    private var remembered: (from: Date, until: Date, airing: Airing?)?
    private var document: ScheduleDocument?
    private var schedule: Schedule?
    /// Why the schedule is not used (missing, unreadable, invalid); nil when it is fine.
    private(set) var problem: String?

    init(file: URL) { self.file = file }

    /// Shows at `date`. Re-reads the file when its size or modification time changed.
    mutating func shows(at date: Date) -> Shows {
        reloadIfChanged()
        guard let document, let schedule else { return Shows() }
        return Shows(
            show: schedule.onAir(at: date).map(document.slot(for:)),
            next: schedule.next(after: date).map(document.slot(for:)))
    }

    typealias Airing = (occurrence: Occurrence, info: ScheduleDocument.ShowInfo?)

    /// The airing on at `date` (its slug, start and end) and the show's entry, nil between shows.
    /// Re-reads the file when it changed, like `shows(at:)`.
    mutating func airing(at date: Date) -> Airing? {
        reloadIfChanged()
        if let remembered, remembered.from <= date, date < remembered.until { return remembered.airing }
        guard let document, let schedule else { return nil }
        if let occurrence = schedule.onAir(at: date) {
            let airing = (occurrence, document.shows[occurrence.show])
            remembered = (occurrence.start, occurrence.end, airing)
            return airing
        }
        // Between shows until the next one starts (looked for a day ahead at most).
        let until = schedule.next(after: date, horizonDays: 1)?.start ?? date.addingTimeInterval(3_600)
        remembered = (date, until, nil)
        return nil
    }

    /// `at weekly[0].day: expected Int` rather than Foundation's "data isn't in the correct format".
    static func explain(_ error: any Error) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "" : " at \(keys.hasPrefix(".") ? String(keys.dropFirst()) : keys)"
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context): return "'\(key.stringValue)' is missing\(path(context))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            return context.debugDescription + path(context)
        default: return error.localizedDescription
        }
    }

    private mutating func reloadIfChanged() {
        var info = stat()
        let stamp = stat(file.path, &info) == 0 ? [Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec, Int(info.st_ino)] : nil
        guard stamp != loadedStamp || stamp == nil else { return }
        loadedStamp = stamp
        document = nil; schedule = nil; remembered = nil
        guard stamp != nil else {
            problem = "\(file.path) does not exist (run `onair build`); no show in nowplaying.json"
            return
        }
        do {
            let data = try Data(contentsOf: file)
            let document = try ScheduleDocument.decode(data)
            self.schedule = try document.schedule()
            self.document = document
            problem = nil
        } catch let error as ScheduleDocument.LoadError {
            problem = "\(file.path): \(error.description)"
        } catch {
            problem = "\(file.path) is not a valid schedule.json (\(Self.explain(error))); no show in nowplaying.json"
        }
    }
}
