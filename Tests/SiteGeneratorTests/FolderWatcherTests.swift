import Foundation
import StationKit
import Testing

@testable import SiteGenerator

/// `onair build --watch`'s inotify watcher on a recordings folder as onaird fills it: a finished
/// airing or a pruned one is a change, the part being written (a dotfile, rewritten every quarter
/// second) is not, and a folder that appears only later is waited for. Every wait is bounded.
@Suite struct FolderWatcherTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("onair-watch-\(UUID().uuidString)")
    var recordings: URL { root.appendingPathComponent("recordings") }

    func write(_ relative: String, _ text: String = "x") throws {
        let url = recordings.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Appends to a dotfile every 50 ms for `seconds`, as onaird's recorder does to its part.
    func churn(_ relative: String, for seconds: Double) -> DispatchGroup {
        let group = DispatchGroup()
        let url = recordings.appendingPathComponent(relative)
        DispatchQueue.global().async(group: group) {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end, let handle = try? FileHandle(forWritingTo: url) {
                handle.seekToEndOfFile()
                handle.write(Data(repeating: 1, count: 512))
                try? handle.close()
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        return group
    }

    @Test func theRecordingBeingWrittenIsNoChangeItsPublicationIs() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try write("night-owls/.2026-12-05-2200.opus.part")
        let watcher = try FolderWatcher(folders: [recordings])
        let writing = churn("night-owls/.2026-12-05-2200.opus.part", for: 3)
        defer { writing.wait() }
        #expect(!watcher.waitForChange(timeout: 1))

        // The part becomes the airing, then its sidecar appears (itself written as a part first).
        try FileManager.default.moveItem(
            at: recordings.appendingPathComponent("night-owls/.2026-12-05-2200.opus.part"),
            to: recordings.appendingPathComponent("night-owls/2026-12-05-2200.opus"))
        try write("night-owls/.2026-12-05-2200.json.part", "{}")
        try FileManager.default.moveItem(
            at: recordings.appendingPathComponent("night-owls/.2026-12-05-2200.json.part"),
            to: recordings.appendingPathComponent("night-owls/2026-12-05-2200.json"))
        let started = Date()
        #expect(watcher.waitForChange(timeout: 5))
        #expect(Date().timeIntervalSince(started) < 2)  // the part's churn does not hold the debounce open
    }

    @Test func pruningAndANewShowFolderAreChanges() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try write("night-owls/2026-11-01-2200.opus")
        try write("night-owls/2026-11-01-2200.json")
        let watcher = try FolderWatcher(folders: [recordings])
        for name in ["2026-11-01-2200.opus", "2026-11-01-2200.json"] {
            try FileManager.default.removeItem(at: recordings.appendingPathComponent("night-owls/" + name))
        }
        #expect(watcher.waitForChange(timeout: 5))
        #expect(!watcher.waitForChange(timeout: 0.5))

        try write("kiezbeats/2026-12-05-2000.json")
        #expect(watcher.waitForChange(timeout: 5))
        // The new show's folder is watched from now on.
        try write("kiezbeats/2026-12-12-2000.json")
        #expect(watcher.waitForChange(timeout: 5))
    }

    @Test func aRecordingsFolderThatDoesNotExistYetIsWaitedFor() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let watcher = try FolderWatcher(folders: [recordings])
        // Other files beside it (onaird's playout log) are not its business.
        try Data("aired\n".utf8).write(to: root.appendingPathComponent("playout.log"))
        #expect(!watcher.waitForChange(timeout: 0.5))

        try FileManager.default.createDirectory(at: recordings, withIntermediateDirectories: true)
        #expect(watcher.waitForChange(timeout: 5))
        try write("night-owls/2026-12-05-2200.json")
        #expect(watcher.waitForChange(timeout: 5))
        try Data("aired again\n".utf8).write(to: root.appendingPathComponent("playout.log"))
        #expect(!watcher.waitForChange(timeout: 0.5))
    }
}
