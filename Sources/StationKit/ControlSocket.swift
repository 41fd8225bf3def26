import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An error from a socket call, with the call's name and the system's message.
public struct SocketError: Error, CustomStringConvertible, Equatable {
    public var function: String
    public var code: Int32
    public init(function: String, code: Int32) { self.function = function; self.code = code }
    /// `connection refused`, `no such file or directory`, ...
    public var reason: String { ControlSocket.message(code) }
    public var description: String { "\(function): \(reason)" }
}

/// Small blocking helpers over AF_UNIX stream sockets (the control socket). Foundation/Glibc only.
public enum ControlSocket {
    /// Longest path a `sockaddr_un` holds (without the terminating NUL).
    public static var maxPathLength: Int { MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1 }

    /// strerror text, lowercased the way our messages read: `connection refused`.
    public static func message(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        guard let first = text.first else { return "error \(code)" }
        return first.lowercased() + text.dropFirst()
    }

    /// Runs `body` with a `sockaddr_un` for `path`.
    public static func withAddress<R>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) throws -> R {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count <= maxPathLength else { throw SocketError(function: "socket path", code: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                try body(sa, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }

    /// A new AF_UNIX stream socket (close-on-exec).
    public static func makeStreamSocket() throws -> Int32 {
        #if canImport(Glibc)
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
            let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw SocketError(function: "socket", code: errno) }
        return fd
    }

    /// Connects a new socket to `path`; the caller closes it.
    public static func connect(to path: String, timeout: Double) throws -> Int32 {
        let fd = try makeStreamSocket()
        do {
            try setTimeout(fd, seconds: timeout)
            let result = try withAddress(path) { address, length in
                #if canImport(Glibc)
                    Glibc.connect(fd, address, length)
                #else
                    Darwin.connect(fd, address, length)
                #endif
            }
            guard result == 0 else { throw SocketError(function: "connect", code: errno) }
            return fd
        } catch {
            close(fd)
            throw error
        }
    }

    /// Send and receive timeouts, so a stuck peer never blocks forever.
    public static func setTimeout(_ fd: Int32, seconds: Double) throws {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: .init((seconds - Double(Int(seconds))) * 1_000_000))
        for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
            guard setsockopt(fd, SOL_SOCKET, option, &tv, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
                throw SocketError(function: "setsockopt", code: errno)
            }
        }
    }

    public static func writeAll(_ fd: Int32, _ data: Data) throws {
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SocketError(function: "send", code: errno)
                }
                offset += n
            }
        }
    }

    /// Reads up to the first newline (excluded) or the end of the stream.
    public static func readLine(_ fd: Int32, limit: Int = ControlWire.maxLine) throws -> Data {
        var line = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while line.count <= limit {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SocketError(function: "recv", code: errno == EAGAIN ? ETIMEDOUT : errno)
            }
            if n == 0 { return line }
            if let newline = buffer[..<n].firstIndex(of: 0x0A) {
                line.append(contentsOf: buffer[..<newline])
                return line
            }
            line.append(contentsOf: buffer[..<n])
        }
        throw SocketError(function: "recv", code: EMSGSIZE)
    }
}
