import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a small text file, failing with the system's reason (`permission denied`, ...).
public enum TextFile {
    public struct Failure: Error {
        public var code: Int32
        public var reason: String { ControlSocket.message(code) }
    }

    public static func read(_ path: String, limit: Int = 1 << 20) throws(Failure) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(code: errno) }
        defer { close(fd) }
        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while bytes.count <= limit {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(code: errno)
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[..<n])
        }
        guard bytes.count <= limit else { throw Failure(code: EFBIG) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
