import Foundation
import Logging
import StationKit

#if canImport(Glibc)
    import Glibc
#endif

/// The control socket (`onair now|status|skip`): a unix stream socket, mode 0600, one JSON-line
/// request per connection, answered on a thread of its own by `handler`.
/// `@unchecked Sendable`: the listening descriptor and thread are set under `lock`; the handler is `@Sendable`.
final class ControlServer: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var path: String
        var reason: String
        var description: String { "cannot open the control socket \(path): \(reason)" }
    }

    let path: String
    private let handler: @Sendable (ControlRequest) -> ControlResponse
    private let logger: Logger
    private let lock = NSLock()
    private var listener: Int32 = -1
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    init(path: String, logger: Logger, handler: @escaping @Sendable (ControlRequest) -> ControlResponse) {
        self.path = path
        self.logger = logger
        self.handler = handler
    }

    /// Binds the socket (replacing a stale one from a crash) and starts answering.
    func start() throws(Failure) {
        try removeStaleSocket()
        let fd: Int32
        do {
            fd = try ControlSocket.makeStreamSocket()
        } catch let error as SocketError {
            throw Failure(path: path, reason: error.reason)
        } catch {
            throw Failure(path: path, reason: "\(error)")
        }
        let previousMask = umask(0o177)
        let bound = (try? ControlSocket.withAddress(path) { bind(fd, $0, $1) }) ?? -1
        let bindError = errno
        umask(previousMask)
        guard bound == 0 else {
            close(fd)
            throw Failure(
                path: path,
                reason: bound == -1 && path.utf8.count > ControlSocket.maxPathLength
                    ? "path too long" : ControlSocket.message(bindError))
        }
        chmod(path, 0o600)
        guard listen(fd, 16) == 0 else {
            let code = errno
            close(fd); unlink(path)
            throw Failure(path: path, reason: ControlSocket.message(code))
        }
        lock.withLock { listener = fd }
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "onaird-control"
        self.thread = thread
        thread.start()
    }

    /// Stops answering and removes the socket file.
    func stop() {
        let fd = lock.withLock { () -> Int32 in
            let fd = listener
            listener = -1
            return fd
        }
        guard fd >= 0 else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        _ = finished.wait(timeout: .now() + 5)
        close(fd)
        unlink(path)
    }

    private func removeStaleSocket() throws(Failure) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw Failure(path: path, reason: "a file that is not a socket is in the way; remove it or choose another control_socket")
        }
        if let fd = try? ControlSocket.connect(to: path, timeout: 1) {
            close(fd)
            throw Failure(path: path, reason: "another onaird is answering on it; stop that one first")
        }
        logger.info("replacing a stale control socket", metadata: ["control.socket": "\(path)"])
        unlink(path)
    }

    private func acceptLoop(_ fd: Int32) {
        defer { finished.signal() }
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                let stopping = lock.withLock { listener < 0 }
                if !stopping {
                    logger.error("control socket stopped accepting", metadata: ["control.error": "\(ControlSocket.message(errno))"])
                }
                return
            }
            answer(client)
            close(client)
        }
    }

    private func answer(_ client: Int32) {
        let response: ControlResponse
        do {
            try ControlSocket.setTimeout(client, seconds: 2)
            let line = try ControlSocket.readLine(client)
            if let request = try? ControlWire.decode(ControlRequest.self, from: line) {
                response = handler(request)
            } else {
                response = .failure("not a control request: send one JSON line such as {\"command\":\"status\"} (commands: now, status, skip)")
            }
        } catch {
            logger.debug("control client went away", metadata: ["control.error": "\(error)"])
            return
        }
        do {
            try ControlSocket.writeAll(client, try ControlWire.line(response))
        } catch {
            logger.debug("control client went away", metadata: ["control.error": "\(error)"])
        }
    }
}
