import Foundation
import StationKit

/// What plays next: the show on air by `schedule.json` plays `music/<slug>/` (files or an .m3u in
/// it), between shows and for a show without a folder `music/rotation/`; a station ID from
/// `music/ids/` at the first track boundary after `idsEvery` seconds. A folder that gives nothing
/// playable falls back (show -> rotation -> nothing, where the source plays a tone) with an alarm,
/// and is tried again after `recheck` seconds. Pure bookkeeping on an injected clock: no decoding.
final class Programme {
    /// The show the schedule has on now (nil slug = between shows).
    struct Slot: Equatable {
        var show: String?
        var title: String?
        var live: Bool
        var start: Date?
    }

    static let rotation = "rotation"
    static let ids = "ids"

    let settings: ScheduleSettings
    let clock: ProgrammeClock
    let recheck: Double
    private var lookup: ShowLookup
    private let alarm: (AlarmReason, String) -> Void
    private var folders: [String: Folder] = [:]
    private var queue: [ProgrammeItem] = []
    private var queueFolder: String?
    private var idPlaylist: Playlist
    private var plannedID: ProgrammeItem?
    private(set) var nextIDAt: Date?
    private var checked: (at: Date, slot: Slot)?
    private var slotKey: String?
    private var slotSince: Date
    private var reportedSchedule: String?

    private struct Folder {
        var playlist: Playlist
        var failures = 0
        var deadUntil: Date?
        var alarmed = false
    }

    init(
        settings: ScheduleSettings, clock: ProgrammeClock, recheck: Double = 5,
        alarm: @escaping (AlarmReason, String) -> Void
    ) {
        self.settings = settings
        self.clock = clock
        self.recheck = recheck
        self.alarm = alarm
        self.lookup = ShowLookup(file: URL(fileURLWithPath: settings.scheduleFile))
        self.idPlaylist = Playlist(path: Self.join(settings.music, Self.ids), shuffle: true)
        let now = clock.now()
        self.slotSince = now
        if settings.idsEvery > 0 { nextIDAt = now.addingTimeInterval(settings.idsEvery) }
    }

    /// Why schedule.json is not used (missing, invalid); nil when fine. Asked after `slot()`.
    var scheduleProblem: String? { lookup.problem }

    /// The slot on air now (schedule.json looked at no more than twice a second).
    func slot() -> Slot {
        let now = clock.now()
        if let checked, abs(now.timeIntervalSince(checked.at)) < 0.5 { return checked.slot }
        let slot: Slot
        if let airing = lookup.airing(at: now) {
            slot = Slot(
                show: airing.occurrence.show, title: airing.occurrence.title ?? airing.info?.title,
                live: airing.info?.live ?? false, start: airing.occurrence.start)
        } else {
            slot = Slot(show: nil, title: nil, live: false, start: nil)
        }
        let key = slot.show ?? Self.rotation
        if key != slotKey {
            slotKey = key
            slotSince = slot.start ?? now
        }
        checked = (now, slot)
        return slot
    }

    /// The item to start now, at a track boundary; nil when neither the show, the rotation nor
    /// the IDs can give a file (the source then plays its tone).
    func next() -> ProgrammeItem? {
        let now = clock.now()
        let slot = self.slot()
        // An item is planned ahead (`onair status` shows it), maybe in the slot before: it belongs
        // to the show on air when it starts (the recorder keeps a record: false show's items out).
        let show = slot.show ?? Self.rotation
        if let due = nextIDAt, now >= due, var id = takeID() {
            nextIDAt = now.addingTimeInterval(settings.idsEvery)
            id.show = show
            return id
        }
        for folder in levels(for: slot) where usable(folder, at: now) {
            fill(folder, show: show)
            if !queue.isEmpty {
                var item = queue.removeFirst()
                item.show = show
                return item
            }
            markDead(folder, at: now, because: "holds no playable files")
        }
        return nil
    }

    /// True when the slot changed under `item` more than `slotGrace` seconds ago: the source then
    /// fades it out. IDs always finish.
    func mustEnd(_ item: ProgrammeItem) -> Bool {
        guard item.kind == .music else { return false }
        let slot = self.slot()
        let now = clock.now()
        guard let wanted = levels(for: slot).first(where: { usable($0, at: now) }), wanted != item.folder else { return false }
        return now.timeIntervalSince(slotSince) >= settings.slotGrace
    }

    /// The item played audio: its folder is fine.
    func played(_ item: ProgrammeItem) {
        guard var folder = folders[item.folder], folder.failures > 0 || folder.alarmed else { return }
        folder.failures = 0
        folder.alarmed = false
        folder.deadUntil = nil
        folders[item.folder] = folder
    }

    /// The item could not be played (broken, silent): after a whole folder of failures in a row,
    /// the folder is given up for `recheck` seconds, with an alarm.
    func failed(_ item: ProgrammeItem) {
        guard item.kind == .music, var folder = folders[item.folder] else { return }
        folder.failures += 1
        folders[item.folder] = folder
        if folder.failures >= max(1, folder.playlist.files.count) {
            markDead(item.folder, at: clock.now(), because: "has no file that plays")
        }
    }

    var status: ProgrammeStatus {
        let slot = self.slot()
        let now = clock.now()
        let folder = levels(for: slot).first { usable($0, at: now) } ?? "tone"
        if queueFolder == folder { fill(folder, show: slot.show ?? Self.rotation) }
        if plannedID == nil, settings.idsEvery > 0 { plannedID = planID() }
        return ProgrammeStatus(
            show: slot.show, showTitle: slot.title, folder: folder, waitingForDJ: slot.live,
            next: queueFolder == folder ? queue.prefix(3).map(\.file) : [],
            nextID: plannedID?.file, nextIDAt: plannedID == nil ? nil : nextIDAt)
    }

    // MARK: Folders

    /// The show's folder (when it exists), then the rotation.
    private func levels(for slot: Slot) -> [String] {
        guard let show = slot.show, show != Self.rotation, show != Self.ids, !show.contains("/"),
            exists(Self.join(settings.music, show))
        else { return [Self.rotation] }
        return [show, Self.rotation]
    }

    private func usable(_ name: String, at now: Date) -> Bool {
        if folders[name] == nil {
            let path = Self.join(settings.music, name)
            guard exists(path) else {
                markDead(name, at: now, because: "does not exist")
                return false
            }
            folders[name] = Folder(playlist: Playlist(path: Self.playlistPath(path), shuffle: settings.shuffle))
        }
        if let until = folders[name]?.deadUntil {
            if now < until { return false }
            folders[name]?.deadUntil = nil
            folders[name]?.failures = 0
            folders[name]?.playlist = Playlist(path: Self.playlistPath(Self.join(settings.music, name)), shuffle: settings.shuffle)
        }
        return true
    }

    private func markDead(_ name: String, at now: Date, because reason: String) {
        var folder = folders[name] ?? Folder(playlist: Playlist(path: Self.join(settings.music, name), shuffle: settings.shuffle))
        folder.deadUntil = now.addingTimeInterval(recheck)
        if queueFolder == name { queue = []; queueFolder = nil }
        let firstTime = !folder.alarmed
        folder.alarmed = true
        folders[name] = folder
        guard firstTime else { return }
        let next = name == Self.rotation ? "a tone" : "the rotation"
        alarm(.fallback, "\(Self.join(settings.music, name)) \(reason): playing \(next) instead")
    }

    /// Keeps three files planned after the next one (what `onair status` shows).
    private func fill(_ name: String, show: String) {
        if queueFolder != name { queue = []; queueFolder = name }
        guard var folder = folders[name] else { return }
        var guardCount = 0
        while queue.count < 4, guardCount < 8, let path = folder.playlist.next() {
            queue.append(ProgrammeItem(kind: .music, path: path, file: relative(path), folder: name, show: show))
            guardCount += 1
        }
        folders[name] = folder
    }

    private func takeID() -> ProgrammeItem? {
        let id = plannedID ?? planID()
        plannedID = nil
        return id
    }

    private func planID() -> ProgrammeItem? {
        guard let path = idPlaylist.next() else { return nil }
        return ProgrammeItem(kind: .id, path: path, file: relative(path), folder: Self.ids, show: slot().show ?? Self.rotation)
    }

    private func relative(_ path: String) -> String {
        let base = settings.music.hasSuffix("/") ? settings.music : settings.music + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

    private func exists(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }

    /// A folder with an .m3u in it plays the .m3u (the first by name); otherwise its audio files.
    static func playlistPath(_ folder: String) -> String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        guard let list = names.filter({ !$0.hasPrefix(".") && $0.lowercased().hasSuffix(".m3u") }).sorted().first else {
            return folder
        }
        return join(folder, list)
    }

    static func join(_ folder: String, _ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
}
