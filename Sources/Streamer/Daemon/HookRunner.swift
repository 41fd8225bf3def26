import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the `hooks:` commands (`/bin/sh -c CMD`) with the event as JSON on stdin, one at a time on a
/// queue of their own (never on the audio thread or the daemon's loop), each killed after
/// `timeout` seconds. A failing hook is logged once, and once more when it works again; events
/// beyond `maxPending` waiting are dropped (logged once) so a stuck hook cannot pile up processes.
/// `@unchecked Sendable`: the counters and sets are touched under `lock` only; commands run on `queue`.
final class HookRunner: @unchecked Sendable {
    let hooks: DaemonConfig.Hooks
    let timeout: Double
    let maxPending: Int
    private let logger: Logger
    private let queue = DispatchQueue(label: "onaird-hooks")
    private let lock = NSLock()
    private var pending = 0
    private var failing: Set<String> = []
    private var dropping = false

    init(hooks: DaemonConfig.Hooks, logger: Logger, timeout: Double = 10, maxPending: Int = 32) {
        self.hooks = hooks
        self.logger = logger
        self.timeout = timeout
        self.maxPending = maxPending
    }

    func command(for event: HookEvent) -> String? {
        switch event {
        case .title: hooks.title
        case .live: hooks.live
        case .alarm: hooks.alarm
        }
    }

    /// Queues the event's hook (if one is set); returns at once.
    func fire(_ event: HookEvent, at date: Date = Date()) {
        guard let command = command(for: event) else { return }
        let accepted = lock.withLock { () -> Bool in
            guard pending < maxPending else { return false }
            pending += 1
            dropping = false
            return true
        }
        guard accepted else {
            let first = lock.withLock { () -> Bool in
                defer { dropping = true }; return !dropping
            }
            if first { logger.warning("hooks are falling behind: dropping events", metadata: ["hook": "\(event.name)"]) }
            return
        }
        let payload = event.payload(at: date)
        queue.async { [self] in
            let failure = run(command, input: payload)
            lock.withLock { pending -= 1 }
            report(event.name, failure)
        }
    }

    /// Waits until every queued hook has run (tests, shutdown); at most `seconds`.
    func drain(seconds: Double) {
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        _ = done.wait(timeout: .now() + seconds)
    }

    private func report(_ name: String, _ failure: String?) {
        let change = lock.withLock { () -> Bool in
            if let failure = failure { return failing.insert(name).inserted && !failure.isEmpty }
            return failing.remove(name) != nil
        }
        guard change else { return }
        if let failure {
            logger.warning("hook failed (logged once until it works again)", metadata: ["hook": "\(name)", "hook.error": "\(failure)"])
        } else {
            logger.notice("hook works again", metadata: ["hook": "\(name)"])
        }
    }

    /// Writes `data` and closes `handle`; false when the reader has gone (EPIPE, with SIGPIPE
    /// ignored as onaird does). `FileHandle.write(_:)` would stop the daemon on that error.
    @discardableResult
    static func send(_ data: Data, to handle: FileHandle) -> Bool {
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: data)
            return true
        } catch {
            return false
        }
    }

    /// Nil on success, else why it failed.
    private func run(_ command: String, input: Data) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            return "cannot start /bin/sh: \(error)"
        }
        // A hook that never reads stdin must not block us: the payload is small (under a pipe's buffer).
        // One that has already exited (a command not found) closed it: its exit status says why.
        Self.send(input, to: stdin.fileHandleForWriting)
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            kill(-process.processIdentifier, SIGKILL)
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            _ = finished.wait(timeout: .now() + 2)
            return "still running after \(Int(timeout)) s: killed"
        }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            return process.terminationReason == .exit ? "exit status \(process.terminationStatus)" : "killed by signal \(process.terminationStatus)"
        }
        return nil
    }
}
