import Foundation

#if canImport(Glibc)
    import Glibc

    /// Waits for changes under some folders with inotify (`onair build --watch`: Content/,
    /// Templates/ and onaird's recordings folder). New subfolders are watched as they appear; a
    /// folder that does not exist yet is waited for (its nearest existing parent is watched for
    /// that one name). Names that start with a dot are not changes: the build reads none of them,
    /// and they are what churns — editors' swap files, and the recording onaird is writing
    /// (`.2026-12-05-2200.opus.part`, a write every quarter second for hours). Blocking: call
    /// `waitForChange` from the thread that drives the rebuilds.
    public final class FolderWatcher {
        private let descriptor: Int32
        private let roots: [URL]
        /// What each watch descriptor is: a folder in a tree, or a missing root's parent.
        private var watches: [Int32: Watch] = [:]

        private enum Watch: Equatable {
            case tree
            /// The nearest existing parent of a missing root: only this name there counts.
            case awaiting(String)
        }

        public struct Failure: Error, CustomStringConvertible {
            public var description: String
        }

        public init(folders: [URL]) throws(Failure) {
            let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
            guard fd >= 0 else { throw Failure(description: "inotify_init1 failed: \(String(cString: strerror(errno)))") }
            descriptor = fd
            roots = folders.map(\.standardizedFileURL)
            addWatches()
        }

        deinit { close(descriptor) }

        private static let treeMask = UInt32(
            IN_CREATE | IN_MODIFY | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE_SELF)
        private static let parentMask = UInt32(IN_CREATE | IN_MOVED_TO)

        /// Watches every folder of every root as it is now (inotify gives a folder watched already
        /// its descriptor again), and drops the watches no longer needed.
        private func addWatches() {
            var next: [Int32: Watch] = [:]
            for root in roots {
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder), isFolder.boolValue else {
                    awaitRoot(root, into: &next)
                    continue
                }
                var folders = [root.path]
                if let enumerator = FileManager.default.enumerator(atPath: root.path) {
                    while let relative = enumerator.nextObject() as? String {
                        guard !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { continue }
                        let path = root.path + "/" + relative
                        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                            folders.append(path)
                        }
                    }
                }
                for folder in folders {
                    let wd = inotify_add_watch(descriptor, folder, Self.treeMask)
                    if wd >= 0 { next[wd] = .tree }
                }
            }
            for wd in watches.keys where next[wd] == nil { inotify_rm_watch(descriptor, wd) }
            watches = next
        }

        /// Watches the nearest existing parent of a missing `root` for the next name on the way down.
        private func awaitRoot(_ root: URL, into next: inout [Int32: Watch]) {
            var missing = root
            var parent = root.deletingLastPathComponent()
            while !FileManager.default.fileExists(atPath: parent.path), parent.path != "/" {
                missing = parent
                parent = parent.deletingLastPathComponent()
            }
            // IN_MASK_ADD: a folder watched as a tree keeps its wider mask.
            let wd = inotify_add_watch(descriptor, parent.path, Self.parentMask | UInt32(IN_MASK_ADD))
            // A parent that is itself in a watched tree stays one.
            if wd >= 0, next[wd] == nil { next[wd] = .awaiting(missing.lastPathComponent) }
        }

        /// Blocks until something changes, then waits until things are quiet for `debounce` seconds
        /// (editors save in several steps), at most `settle` seconds. Returns false after `timeout`
        /// seconds without a change.
        public func waitForChange(debounce: Double = 0.3, settle: Double = 3, timeout: Double? = nil) -> Bool {
            let deadline = timeout.map { Self.now() + $0 }
            while true {
                let remaining = deadline.map { $0 - Self.now() }
                if let remaining, remaining <= 0 { return false }
                guard wait(seconds: remaining) else { return false }
                if drain() { break }
            }
            let latest = Self.now() + settle
            var quietAt = Self.now() + debounce
            while true {
                let remaining = min(quietAt, latest) - Self.now()
                guard remaining > 0 else { break }
                if wait(seconds: remaining), drain() { quietAt = Self.now() + debounce }
            }
            addWatches()  // folders may have been created or removed
            return true
        }

        private static func now() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_MONOTONIC, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }

        private func wait(seconds: Double?) -> Bool {
            var pfd = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ms = seconds.map { Int32(max(0, $0) * 1000) } ?? -1
            while true {
                let result = poll(&pfd, 1, ms)
                if result < 0, errno == EINTR { continue }
                return result > 0
            }
        }

        /// Reads every queued event; true when one of them is a change (see `counts`).
        private func drain() -> Bool {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            var changed = false
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                guard count > 0 else { return changed }
                var offset = 0
                let header = 16  // struct inotify_event: wd, mask, cookie, len; then len bytes of name
                while offset + header <= count {
                    let (wd, mask, length) = buffer.withUnsafeBytes { raw in
                        (
                            raw.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                            raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                            Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                        )
                    }
                    let nameBytes = buffer[(offset + header)..<min(count, offset + header + length)].prefix { $0 != 0 }
                    changed = counts(wd: wd, mask: mask, name: String(decoding: nameBytes, as: UTF8.self)) || changed
                    offset += header + length
                }
            }
        }

        /// Whether an event is a change: under a tree any name but a dotfile (and the folder
        /// itself going); at a missing root's parent only that root's name; a lost queue always.
        private func counts(wd: Int32, mask: UInt32, name: String) -> Bool {
            if mask & UInt32(IN_Q_OVERFLOW) != 0 { return true }
            if mask & UInt32(IN_IGNORED) != 0 { return false }  // a watch removed (by us or with its folder)
            switch watches[wd] {
            case .tree: return name.isEmpty || !name.hasPrefix(".")
            case .awaiting(let root): return name == root
            case nil: return false
            }
        }
    }
#endif
