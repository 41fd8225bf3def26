import Foundation
import StationKit

/// Step 7: publishes an in-memory site into the output folder.
///
/// The new site is first written to a staging folder next to the output (same file system), then
/// each file that differs is renamed over the old one; files whose bytes are unchanged are not
/// touched (their mtime stays, so rsync and CDNs move only what changed). Files the new build no
/// longer produces are removed, except `nowplaying.json` (the daemon's) and dotfiles (`.gitkeep`).
struct SiteWriter {
    var outputURL: URL

    struct Report: Sendable, Equatable {
        var written: [String]
        var removed: [String]
        var unchanged: Int
    }

    struct Failure: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "\(path): error: \(reason)" }
    }

    private var fileManager: FileManager { .default }

    func publish(_ files: [String: Data]) throws(Failure) -> Report {
        let parent = outputURL.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".site-staging-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? fileManager.removeItem(at: staging) }
        // Only files whose bytes differ from the published ones are staged and moved (a rebuild with
        // nothing changed writes nothing); the comparison reads the old files on all cores.
        let output = outputURL
        let paths = files.keys.sorted()
        let differs = ParallelMap.map(paths) { path -> Bool in
            guard let existing = try? Data(contentsOf: output.appendingPathComponent(path)) else { return true }
            return existing != files[path]
        }
        let changed = zip(paths, differs).filter(\.1).map(\.0)
        do {
            try fileManager.createDirectory(at: outputURL, withIntermediateDirectories: true)
            for path in changed {
                guard let data = files[path] else { continue }
                let url = staging.appendingPathComponent(path)
                try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
        } catch {
            throw Failure(path: staging.path, reason: "cannot write the new site (\(error.localizedDescription))")
        }

        var report = Report(written: [], removed: [], unchanged: files.count - changed.count)
        for path in changed {
            let target = outputURL.appendingPathComponent(path)
            do {
                try fileManager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                if rename(staging.appendingPathComponent(path).path, target.path) != 0 {
                    throw Failure(path: target.path, reason: "cannot replace the file (\(String(cString: strerror(errno))))")
                }
            } catch let failure as Failure {
                throw failure
            } catch {
                throw Failure(path: target.path, reason: "cannot write the file (\(error.localizedDescription))")
            }
            report.written.append(path)
        }

        for path in existingFiles() where files[path] == nil && !Self.isKept(path) {
            try? fileManager.removeItem(at: outputURL.appendingPathComponent(path))
            report.removed.append(path)
        }
        removeEmptyFolders()
        return report
    }

    /// `nowplaying.json` belongs to the daemon; dotfiles (`.gitkeep`) to whoever put them there.
    static func isKept(_ path: String) -> Bool {
        path == SiteFiles.nowPlaying || path.split(separator: "/").contains { $0.hasPrefix(".") }
    }

    /// Files under the output folder, site-relative, sorted.
    func existingFiles() -> [String] {
        let root = outputURL.standardizedFileURL.path
        guard let enumerator = fileManager.enumerator(atPath: root) else { return [] }
        var result: [String] = []
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result.append(path)
            }
        }
        return result.sorted()
    }

    private func removeEmptyFolders() {
        let root = outputURL.standardizedFileURL.path
        guard let enumerator = fileManager.enumerator(atPath: root) else { return }
        var folders: [String] = []
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), isDirectory.boolValue {
                folders.append(path)
            }
        }
        for folder in folders.sorted(by: { $0.count > $1.count }) where !Self.isKept(folder) {
            if (try? fileManager.contentsOfDirectory(atPath: root + "/" + folder))?.isEmpty == true {
                try? fileManager.removeItem(atPath: root + "/" + folder)
            }
        }
    }
}
