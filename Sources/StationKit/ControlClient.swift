import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The small blocking client `onair now|status|skip` uses to talk to `onaird`.
public struct ControlClient: Sendable {
    public enum Failure: Error, CustomStringConvertible, Equatable {
        /// The daemon is not there (no socket, refused, permission).
        case unreachable(path: String, reason: String)
        /// It answered something that is not a control answer.
        case badAnswer(path: String, reason: String)

        public var description: String {
            switch self {
            case .unreachable(let path, let reason):
                "cannot reach onaird at \(path): \(reason) (is onaird running?)"
            case .badAnswer(let path, let reason):
                "onaird at \(path) sent an answer that could not be read: \(reason)"
            }
        }
    }

    public var path: String
    public var timeout: Double

    public init(path: String, timeout: Double = 5) { self.path = path; self.timeout = timeout }

    /// Sends one request and returns the daemon's answer (which may say `ok: false`).
    public func send(_ request: ControlRequest) throws -> ControlResponse {
        let fd: Int32
        do {
            fd = try ControlSocket.connect(to: path, timeout: timeout)
        } catch let error as SocketError {
            throw Failure.unreachable(path: path, reason: error.reason)
        }
        defer { close(fd) }
        let line: Data
        do {
            try ControlSocket.writeAll(fd, try request.line())
            shutdown(fd, Int32(SHUT_WR))
            line = try ControlSocket.readLine(fd)
        } catch let error as SocketError {
            throw Failure.unreachable(path: path, reason: error.reason)
        }
        guard !line.isEmpty else { throw Failure.badAnswer(path: path, reason: "it closed the connection without answering") }
        do {
            return try ControlWire.decode(ControlResponse.self, from: line)
        } catch {
            throw Failure.badAnswer(path: path, reason: "not a JSON control answer")
        }
    }
}
