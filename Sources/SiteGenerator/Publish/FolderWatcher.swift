import Foundation

#if canImport(Glibc)
    import Glibc

    /// Waits for changes under some folders with inotify (`onair build --watch`). New subfolders are
    /// watched as they appear. Blocking: call `waitForChange` from the thread that drives the rebuilds.
    public final class FolderWatcher {
        private let descriptor: Int32
        private let roots: [URL]
        private var watched: Set<String> = []

        public struct Failure: Error, CustomStringConvertible {
            public var description: String
        }

        public init(folders: [URL]) throws(Failure) {
            let fd = inotify_init1(Int32(IN_CLOEXEC))
            guard fd >= 0 else { throw Failure(description: "inotify_init1 failed: \(String(cString: strerror(errno)))") }
            descriptor = fd
            roots = folders
            addWatches()
        }

        deinit { close(descriptor) }

        private func addWatches() {
            let mask = UInt32(IN_CREATE | IN_MODIFY | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE_SELF)
            for root in roots {
                var folders = [root.standardizedFileURL.path]
                if let enumerator = FileManager.default.enumerator(atPath: root.path) {
                    while let relative = enumerator.nextObject() as? String {
                        var isDirectory: ObjCBool = false
                        let path = root.standardizedFileURL.path + "/" + relative
                        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                            folders.append(path)
                        }
                    }
                }
                for folder in folders where !watched.contains(folder) {
                    if inotify_add_watch(descriptor, folder, mask) >= 0 { watched.insert(folder) }
                }
            }
        }

        /// Blocks until something changes, then waits until things are quiet for `debounce` seconds
        /// (editors save in several steps). Returns false after `timeout` seconds without a change.
        public func waitForChange(debounce: Double = 0.3, timeout: Double? = nil) -> Bool {
            guard wait(seconds: timeout) else { return false }
            drain()
            while wait(seconds: debounce) { drain() }
            watched.removeAll()  // folders may have been created or removed: re-add (duplicates are harmless)
            addWatches()
            return true
        }

        private func wait(seconds: Double?) -> Bool {
            var pfd = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ms = seconds.map { Int32($0 * 1000) } ?? -1
            while true {
                let result = poll(&pfd, 1, ms)
                if result < 0, errno == EINTR { continue }
                return result > 0
            }
        }

        private func drain() {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            _ = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        }
    }
#endif
