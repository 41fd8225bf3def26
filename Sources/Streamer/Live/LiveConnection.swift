import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// onaird as a listener of the DJ mount: one HTTP/1.0 GET with `Icy-MetaData: 1` over a plain
/// socket, then the stream's bytes with ICY metadata blocks taken out (`onTitle` gets each
/// `StreamTitle`). Blocking, for the live receiver's own thread; every wait is bounded and ends
/// early when `shouldStop` says so. Not Sendable: owned by that thread.
final class LiveConnection {
    enum Failure: Error, Equatable {
        /// Icecast has no source on the mount (404): no DJ.
        case noSource
        /// A short reason for the log: `connection refused`, `HTTP 401`, `no data for 5 s`.
        case failed(String)
        /// `shouldStop` said so.
        case stopped
    }

    /// The largest response head and ICY metadata block accepted (ICY's own limit is 255 × 16).
    static let maximumHead = 16 << 10
    static let maximumMetaInterval = 1 << 20

    let headers: [String: String]
    private let fd: Int32
    private let shouldStop: () -> Bool
    /// Bytes of audio between ICY metadata blocks (0: none).
    private let metaInterval: Int
    private var untilMeta: Int
    private var pending: [UInt8]
    private var scratch = [UInt8](repeating: 0, count: 16 << 10)
    private var closed = false

    /// Connects to `host:port`, asks for `mount`, reads the response head. Throws `.noSource` for
    /// a 404, `.failed` for anything else that is not a 200 with a stream.
    init(host: String, port: Int, mount: String, timeout: Double, shouldStop: @escaping () -> Bool) throws(Failure) {
        self.shouldStop = shouldStop
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let address = list?.pointee else {
            throw .failed("unknown host \(host)")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(address.ai_family, address.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), address.ai_protocol)
        guard fd >= 0 else { throw .failed("cannot open a socket") }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let deadline = Date().addingTimeInterval(timeout)
        if connect(fd, address.ai_addr, address.ai_addrlen) != 0 {
            let code = errno
            guard code == EINPROGRESS else { close(fd); throw .failed(HTTPGet.describe(code)) }
            guard Self.wait(fd, POLLOUT, until: deadline, shouldStop) else {
                close(fd)
                throw shouldStop() ? .stopped : .failed("no connection within \(DaemonConfig.number(timeout)) s")
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { close(fd); throw .failed(HTTPGet.describe(error)) }
        }
        let request = Array(
            "GET \(mount) HTTP/1.0\r\nHost: \(host):\(port)\r\nUser-Agent: onaird\r\nIcy-MetaData: 1\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let count = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if count > 0 { sent += count; continue }
            guard count < 0, errno == EAGAIN || errno == EINTR, Self.wait(fd, POLLOUT, until: deadline, shouldStop) else {
                close(fd); throw .failed("connection lost")
            }
        }
        // The head, then whatever stream bytes came with it.
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var end: Int?
        while end == nil {
            guard head.count < Self.maximumHead else { close(fd); throw .failed("response head over \(Self.maximumHead) bytes") }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                head.append(contentsOf: buffer[0..<count])
                end = Self.headEnd(head)
                continue
            }
            guard count < 0, errno == EAGAIN || errno == EINTR, Self.wait(fd, POLLIN, until: deadline, shouldStop) else {
                close(fd); throw shouldStop() ? .stopped : .failed(count == 0 ? "closed before answering" : "no answer within \(Int(timeout)) s")
            }
        }
        let headEnd = end ?? 0
        let lines = String(decoding: head[0..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let status = lines.first?.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        guard status == 200 else {
            close(fd)
            throw status == 404 ? .noSource : .failed(status == 0 ? "not an HTTP answer" : "HTTP \(status)")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        self.fd = fd
        self.headers = headers
        let interval = headers["icy-metaint"].flatMap { Int($0) } ?? 0
        metaInterval = (1...Self.maximumMetaInterval).contains(interval) ? interval : 0
        untilMeta = metaInterval
        pending = Array(head[(headEnd + 4)...])
    }

    deinit { if !closed { close(fd) } }

    func disconnect() {
        guard !closed else { return }
        closed = true
        close(fd)
    }

    /// Audio bytes into `into`: how many (> 0). Throws `.failed("no data for N s")` after
    /// `stallAfter` seconds without a byte, `.failed("the stream ended")` at EOF.
    func read(into: UnsafeMutableRawBufferPointer, stallAfter: Double, onTitle: (String) -> Void) throws(Failure) -> Int {
        let deadline = Date().addingTimeInterval(stallAfter)
        while true {
            if shouldStop() { throw .stopped }
            if !pending.isEmpty {
                if metaInterval > 0 && untilMeta == 0 {
                    // A metadata block: one length byte (× 16), then the text; wait until it is all here.
                    let length = Int(pending[0]) * 16
                    if pending.count >= length + 1 {
                        if length > 0 { onTitle(String(decoding: pending[1..<(1 + length)], as: UTF8.self)) }
                        pending.removeFirst(length + 1)
                        untilMeta = metaInterval
                        continue
                    }
                } else {
                    var count = min(into.count, pending.count)
                    if metaInterval > 0 { count = min(count, untilMeta) }
                    pending.withUnsafeBytes { into.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                    pending.removeFirst(count)
                    if metaInterval > 0 { untilMeta -= count }
                    return count
                }
            }
            let count = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                pending.append(contentsOf: scratch[0..<count])
                continue
            }
            if count == 0 { throw .failed("the stream ended") }
            guard errno == EAGAIN || errno == EINTR else { throw .failed("connection lost") }
            guard Self.wait(fd, POLLIN, until: deadline, shouldStop) else {
                throw shouldStop() ? .stopped : .failed("no data for \(DaemonConfig.number(stallAfter)) s")
            }
        }
    }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// Waits for `events` in slices of 0.2 s, so a stop request ends the wait soon.
    private static func wait(_ fd: Int32, _ events: Int32, until deadline: Date, _ shouldStop: () -> Bool) -> Bool {
        while !shouldStop() {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return false }
            var entry = pollfd(fd: fd, events: Int16(events), revents: 0)
            let ready = poll(&entry, 1, Int32(min(left, 0.2) * 1000 + 1))
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return false }
        }
        return false
    }
}
