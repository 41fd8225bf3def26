import Foundation
import Logging
import StationKit

#if canImport(Glibc)
    import Glibc
#endif

/// Appends one JSON line per aired item to `playout_log` when the item ends (with the listeners
/// counted when it started). A log that cannot be written is reported once, and once more when it
/// works again; the stream never waits for it.
final class PlayoutLogger {
    let path: String
    private let logger: Logger
    private var started: [Int: PlayoutEntry] = [:]
    private var failing = false

    init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    func itemStarted(id: Int, entry: PlayoutEntry, listeners: Int) {
        var entry = entry
        entry.listeners = listeners
        started[id] = entry
        if started.count > 64, let oldest = started.keys.min() { started[oldest] = nil }
    }

    func itemEnded(id: Int, seconds: Double) {
        guard var entry = started.removeValue(forKey: id) else { return }
        entry.seconds = seconds
        append(entry)
    }

    func append(_ entry: PlayoutEntry) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        var problem: String?
        if fd < 0 {
            problem = String(cString: strerror(errno))
        } else {
            defer { close(fd) }
            let data = (try? entry.line()) ?? Data()
            let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written != data.count { problem = String(cString: strerror(errno)) }
        }
        if let problem, !failing {
            failing = true
            logger.warning("cannot write the playout log", metadata: ["playout.file": "\(path)", "error": "\(problem)"])
        } else if problem == nil, failing {
            failing = false
            logger.notice("the playout log is written again", metadata: ["playout.file": "\(path)"])
        }
    }
}
