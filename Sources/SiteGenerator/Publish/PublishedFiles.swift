import Foundation
import StationKit

/// The files an `onair build` published into an output folder, listed in the folder itself
/// (`.onair-published`, a dotfile nginx never serves). It is the only thing a later build may
/// remove, and the proof that a folder is an onair output at all: a build refuses a non-empty
/// folder that has no list (a checkout, a home folder) and one that holds the content or the
/// templates, before it reads or writes anything.
struct PublishedFiles: Equatable {
    static let name = ".onair-published"
    static let header = "# onair build: files published into this folder; a later build removes only these"

    var paths: Set<String>

    /// The list in `outputURL`, or nil when the folder has none (never built, or built by an onair
    /// from before the list).
    static func read(in outputURL: URL) -> PublishedFiles? {
        guard let data = FileManager.default.contents(atPath: outputURL.path + "/" + name),
            let text = String(data: data, encoding: .utf8), text.hasPrefix(header)
        else { return nil }
        let lines = text.split(separator: "\n").dropFirst().map(String.init)
        return PublishedFiles(paths: Set(lines.filter(isSafe)))
    }

    /// Written after a publish (sorted: same site, same bytes). A failure is reported, since
    /// without the list the next build would refuse the folder.
    func write(in outputURL: URL) throws(SiteWriter.Failure) {
        let text = ([Self.header] + paths.sorted()).joined(separator: "\n") + "\n"
        let path = outputURL.path + "/" + Self.name
        let temporary = path + ".tmp"
        do {
            try SiteStage.write(Data(text.utf8), to: temporary)
            guard rename(temporary, path) == 0 else { throw SiteStage.WriteError(path: path) }
        } catch {
            unlink(temporary)
            throw SiteWriter.Failure(path: path, reason: "cannot record the published files (\(error.localizedDescription))")
        }
    }

    /// A listed path a build may remove: relative, no `..`, no dotfile part.
    static func isSafe(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/")
            && !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0.hasPrefix(".") }
    }

    /// Entries a folder may hold and still count as empty: the daemon's file, `.gitkeep`, the list.
    static func ignoredWhenEmpty(_ name: String) -> Bool {
        name == SiteFiles.nowPlaying || name == ".gitkeep" || name == Self.name
    }

    /// Why `options.outputURL` must not be built into, or nil when it may be. Checked before a build
    /// writes anything: the output is, holds or lies inside the content or templates folder, is a
    /// file, or is a non-empty folder that no onair build made.
    static func refusal(_ options: BuildOptions) -> ContentError? {
        let output = resolved(options.outputURL.path)
        let shown = options.outputURL.path
        for (folder, what) in [(options.contentURL.path, "content"), (options.templatesURL.path, "templates")] {
            let other = resolved(folder)
            if output == other || other.hasPrefix(output == "/" ? "/" : output + "/") {
                return ContentError(
                    path: shown,
                    message:
                        "refusing to build into \(output == other ? "the" : "a folder that holds the") \(what) folder (\(folder)): a build replaces what is there; choose another --output, e.g. site"
                )
            }
            if output.hasPrefix(other + "/") {
                return ContentError(
                    path: shown, message: "refusing to build into the \(what) folder (\(folder)); choose an --output outside it, e.g. site")
            }
        }
        var info = stat()
        guard stat(output, &info) == 0 else { return nil }  // not there yet: the build makes it
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            return ContentError(path: shown, message: "the output is not a folder; choose another --output")
        }
        if FileManager.default.fileExists(atPath: output + "/" + name) { return nil }
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []).filter { !ignoredWhenEmpty($0) }.sorted()
        guard let first = entries.first, !isEarlierOnairSite(output) else { return nil }
        let count = entries.count
        return ContentError(
            path: shown,
            message:
                "refusing to build into a folder that onair did not build (it holds \(count) \(count == 1 ? "entry" : "entries"), e.g. \(first)): a build would replace them; empty it or choose another --output"
        )
    }

    /// A site from an onair that did not yet list its files: its `schedule.json` is onair's. Such a
    /// folder is built into, but nothing in it is removed until a list exists.
    static func isEarlierOnairSite(_ output: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: output + "/" + SiteFiles.schedule) else { return false }
        return (try? ScheduleDocument.decode(data)) != nil
    }

    /// `path` with links and `..` resolved; a missing tail is appended to its resolved parent.
    static func resolved(_ path: String) -> String {
        var trimmed = URL(fileURLWithPath: path).standardizedFileURL.path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        if let real = realpath(trimmed, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let parent = (trimmed as NSString).deletingLastPathComponent
        guard parent != trimmed, !parent.isEmpty else { return trimmed }
        let base = resolved(parent)
        return (base == "/" ? "" : base) + "/" + (trimmed as NSString).lastPathComponent
    }
}
