import Foundation
import StationKit

/// `onair publish DEST`: puts a built site live in one step.
///
/// `DEST` (nginx's `root`, e.g. `/srv/onair/site`) becomes a symbolic link to a complete copy of
/// the site beside it, `.<name>.releases/<id>/`. A publish writes the next copy there in full
/// (files whose bytes did not change are hard links to the live copy, so they keep their mtime
/// and ETag), then points a new link at it and renames that link over `DEST` — one `rename(2)`:
/// every request resolves `DEST` to the old copy or to the new one, never to a mix or a gap. Any
/// failure before the rename removes the new copy and leaves the old site serving.
///
/// `nowplaying.json` is the daemon's and lives outside the swapped copies, in `.<name>.live/`;
/// each copy holds a link `nowplaying.json -> ../../.<name>.live/nowplaying.json`, and onaird
/// replaces the file the link points to (see `AtomicFileWriter`), so a swap never loses, blanks
/// or rewinds a write of the daemon. The previous copy is kept (a request that began on it
/// finishes there); older ones are removed.
public struct SitePublisher: Sendable {
    /// The built site (`onair build`'s output).
    public var site: URL
    /// The published path (`/srv/onair/site`); its folder must exist.
    public var destination: URL
    public var keep: Int = 2

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public struct Report: Sendable {
        public var release: String
        public var files: Int
        public var linked: Int
        public var removedReleases: [String]
        public var warnings: [String]
    }

    public init(site: URL, destination: URL) {
        self.site = site.standardizedFileURL
        self.destination = destination.standardizedFileURL
    }

    var name: String { destination.lastPathComponent }
    var parent: String { destination.deletingLastPathComponent().path }
    /// `.site.releases`, relative to `parent`.
    var releasesName: String { ".\(name).releases" }
    var liveName: String { ".\(name).live" }
    var releasesPath: String { parent + "/" + releasesName }
    var livePath: String { parent + "/" + liveName }
    /// What each copy's `nowplaying.json` link points to.
    var nowPlayingLink: String { "../../\(liveName)/\(SiteFiles.nowPlaying)" }

    public func publish() throws(Failure) -> Report {
        try checkSite()
        let current = try currentState()
        for folder in [releasesPath, livePath] where mkdir(folder, 0o755) != 0 && errno != EEXIST {
            throw Failure(description: "cannot create \(folder) (\(Self.reason())); is \(parent) writable by you?")
        }
        let id = Self.releaseID()
        let release = releasesPath + "/" + id
        var copier = TreeCopier(linkFrom: current.livePath)
        do {
            try copier.copy(from: site.path, to: release, skipTopLevel: [SiteFiles.nowPlaying])
            guard symlink(nowPlayingLink, release + "/" + SiteFiles.nowPlaying) == 0 else {
                throw Failure(description: "cannot link \(release)/\(SiteFiles.nowPlaying) (\(Self.reason()))")
            }
            try seedNowPlaying(from: current)
            try swap(to: releasesName + "/" + id, current: current)
        } catch let failure as Failure {
            Self.remove(release)
            throw failure
        } catch {
            Self.remove(release)
            throw Failure(description: "cannot copy \(site.path) to \(release) (\(error.localizedDescription)); the old site is still served")
        }
        var report = Report(release: id, files: copier.files, linked: copier.linked, removedReleases: [], warnings: [])
        prune(keeping: id, report: &report)
        return report
    }

    /// What `DEST` is now.
    struct Current {
        enum Kind { case missing, link, folder }
        var kind: Kind
        /// The folder the site is served from now (for hard links and nowplaying.json), if any.
        var livePath: String?
    }

    private func checkSite() throws(Failure) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: site.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw Failure(description: "\(site.path) is not a folder; run onair build first (or pass --site DIR)")
        }
        guard FileManager.default.fileExists(atPath: site.path + "/index.html") else {
            throw Failure(description: "\(site.path) has no index.html; run onair build first (or pass --site DIR)")
        }
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: destination.path)) != nil || site.path == destination.path {
            let resolved = URL(fileURLWithPath: destination.path).resolvingSymlinksInPath().path
            if resolved == site.resolvingSymlinksInPath().path {
                throw Failure(description: "\(site.path) is the published site itself; publish a site built elsewhere")
            }
        }
    }

    private func currentState() throws(Failure) -> Current {
        var info = stat()
        guard stat(parent, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw Failure(description: "\(parent) does not exist; create it first (the site goes to \(destination.path))")
        }
        guard lstat(destination.path, &info) == 0 else { return Current(kind: .missing, livePath: nil) }
        switch info.st_mode & S_IFMT {
        case S_IFLNK:
            let target = URL(fileURLWithPath: destination.path).resolvingSymlinksInPath().path
            return Current(kind: .link, livePath: FileManager.default.fileExists(atPath: target) ? target : nil)
        case S_IFDIR:
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: destination.path)) ?? []
            let ours = entries.isEmpty || entries.contains(".onair-published") || entries == [SiteFiles.nowPlaying]
            guard ours else {
                throw Failure(
                    description: "\(destination.path) is a folder onair did not build (no .onair-published); move it away or publish elsewhere")
            }
            return Current(kind: .folder, livePath: destination.path)
        default:
            throw Failure(description: "\(destination.path) is a file, not a site folder; move it away first")
        }
    }

    /// The first publish over a served folder brings its nowplaying.json along, so the page never
    /// misses it.
    private func seedNowPlaying(from current: Current) throws(Failure) {
        let live = livePath + "/" + SiteFiles.nowPlaying
        guard !FileManager.default.fileExists(atPath: live), let served = current.livePath else { return }
        var info = stat()
        let old = served + "/" + SiteFiles.nowPlaying
        guard lstat(old, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
        Self.copyAtomically(old, to: live)
    }

    private func swap(to target: String, current: Current) throws(Failure) {
        let link = parent + "/.\(name).swap-\(getpid())"
        unlink(link)
        guard symlink(target, link) == 0 else {
            throw Failure(description: "cannot create \(link) (\(Self.reason())); the old site is still served")
        }
        switch current.kind {
        case .missing, .link:
            guard rename(link, destination.path) == 0 else {
                let why = Self.reason()
                unlink(link)
                throw Failure(description: "cannot replace \(destination.path) (\(why)); the old site is still served")
            }
        case .folder:
            // A folder cannot be renamed over: exchange it with the link in one step, then keep it
            // as the previous copy.
            guard Self.exchange(link, destination.path) else {
                let why = Self.reason()
                unlink(link)
                throw Failure(description: "cannot swap \(destination.path) (\(why)); the old site is still served")
            }
            let kept = releasesPath + "/" + Self.releaseID() + "-before"
            rename(link, kept)
            // A write of the daemon that landed in the old folder after the seed goes across.
            let old = kept + "/" + SiteFiles.nowPlaying
            let live = livePath + "/" + SiteFiles.nowPlaying
            var oldInfo = stat(), liveInfo = stat()
            if lstat(old, &oldInfo) == 0, (oldInfo.st_mode & S_IFMT) == S_IFREG,
                stat(live, &liveInfo) != 0 || oldInfo.st_mtim.tv_sec > liveInfo.st_mtim.tv_sec
                    || (oldInfo.st_mtim.tv_sec == liveInfo.st_mtim.tv_sec && oldInfo.st_mtim.tv_nsec > liveInfo.st_mtim.tv_nsec)
            {
                Self.copyAtomically(old, to: live)
            }
        }
    }

    /// Keeps the newest `keep` copies (the live one among them).
    private func prune(keeping id: String, report: inout Report) {
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: releasesPath)) ?? []).sorted()
        var others = entries.filter { $0 != id && !$0.hasPrefix(".") }
        let keepOthers = max(0, keep - 1)
        guard others.count > keepOthers else { return }
        others.removeLast(keepOthers)
        for old in others {
            do {
                try FileManager.default.removeItem(atPath: releasesPath + "/" + old)
                report.removedReleases.append(old)
            } catch {
                report.warnings.append("could not remove the old copy \(releasesPath)/\(old) (\(error.localizedDescription)); remove it by hand")
            }
        }
    }

    /// `20261204-171501-123456789`: sorts by time.
    static func releaseID() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var time = now.tv_sec
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d%02d%02d-%02d%02d%02d-%09ld", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec, now.tv_nsec)
    }

    static func reason() -> String { String(cString: strerror(errno)) }

    static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    /// Linux `renameat2(RENAME_EXCHANGE)`: both names stay valid throughout. Swift's Glibc module
    /// does not declare it (it needs _GNU_SOURCE), so it is looked up in the C library.
    static func exchange(_ a: String, _ b: String) -> Bool {
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else {
            errno = ENOSYS
            return false
        }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let exchangeFlag: UInt32 = 1 << 1  // RENAME_EXCHANGE in <linux/fs.h>
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, exchangeFlag) == 0
    }

    static func copyAtomically(_ from: String, to path: String) {
        guard let data = FileManager.default.contents(atPath: from) else { return }
        let temporary = path + ".publish-\(getpid())"
        do {
            try SiteStage.write(data, to: temporary)
            if rename(temporary, path) != 0 { unlink(temporary) }
        } catch {
            unlink(temporary)
        }
    }
}
