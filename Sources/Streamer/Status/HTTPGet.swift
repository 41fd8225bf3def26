import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One blocking HTTP/1.0 GET over a plain socket, for Icecast's status page on the station's own
/// box. It replaces URLSession, which pulled FoundationNetworking and libcurl (with its TLS, SSH,
/// LDAP and Kerberos libraries) into onaird: megabytes of resident memory and a few threads for
/// one small request every few seconds. Runs on the calling thread; use `fetch` from async code.
struct HTTPGet: Sendable {
    struct Failure: Error, Equatable, Sendable {
        /// A short reason for the log: `connection refused`, `no answer within 3 s`.
        var reason: String
    }

    struct Response: Sendable, Equatable {
        var status: Int
        var body: Data
    }

    var host: String
    var port: UInt16
    var path: String
    var timeout: Double
    /// Replies larger than this are cut off (the status page of a busy server is a few KB).
    var maximumBytes = 4 << 20
    /// `Authorization` header value (Icecast's admin requests); never logged.
    var authorization: String?

    init(host: String, port: UInt16, path: String, timeout: Double) {
        self.host = host
        self.port = port
        self.path = path
        self.timeout = timeout
    }

    /// `http://host[:port]` plus a path; nil for anything else (https is not for a local status page).
    init?(server: String, path: String, timeout: Double) {
        guard let url = URL(string: server), url.scheme?.lowercased() == "http", let host = url.host, !host.isEmpty else { return nil }
        self.host = host
        self.port = UInt16(clamping: url.port ?? 80)
        self.path = path
        self.timeout = timeout
    }

    /// Runs the request on a thread of its own, off the async pool.
    func fetch() async -> Result<Response, Failure> {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: run()) }
            thread.name = "onaird-status"
            thread.stackSize = 256 << 10
            thread.start()
        }
    }

    func run() -> Result<Response, Failure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            return .failure(Failure(reason: "unknown host \(host)"))
        }
        defer { freeaddrinfo(list) }
        var lastReason = "connection refused"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            switch exchange(address.pointee) {
            case .success(let response): return .success(response)
            case .failure(let failure): lastReason = failure.reason
            }
            entry = address.pointee.ai_next
        }
        return .failure(Failure(reason: lastReason))
    }

    private func exchange(_ address: addrinfo) -> Result<Response, Failure> {
        let fd = socket(address.ai_family, address.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), address.ai_protocol)
        guard fd >= 0 else { return .failure(Failure(reason: "cannot open a socket (\(String(cString: strerror(errno))))")) }
        defer { close(fd) }
        let deadline = Date().addingTimeInterval(timeout)
        let timedOut = Failure(reason: "no answer within \(Int(timeout)) s")

        // Connect without blocking past the deadline.
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        if connect(fd, address.ai_addr, address.ai_addrlen) != 0 {
            guard errno == EINPROGRESS else { return .failure(Failure(reason: Self.describe(errno))) }
            guard wait(fd, for: Int16(POLLOUT), until: deadline) else { return .failure(timedOut) }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { return .failure(Failure(reason: Self.describe(error))) }
        }

        let credentials = authorization.map { "Authorization: \($0)\r\n" } ?? ""
        let request = "GET \(path) HTTP/1.0\r\nHost: \(host):\(port)\r\nUser-Agent: onaird\r\n\(credentials)Connection: close\r\n\r\n"
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                raw.baseAddress.map { send(fd, $0 + sent, raw.count - sent, Int32(MSG_NOSIGNAL)) } ?? -1
            }
            if count > 0 { sent += count; continue }
            guard count < 0, errno == EAGAIN || errno == EINTR else { return .failure(Failure(reason: "connection lost")) }
            guard wait(fd, for: Int16(POLLOUT), until: deadline) else { return .failure(timedOut) }
        }

        var reply = Data()
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while reply.count < maximumBytes {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { reply.append(contentsOf: buffer[0..<count]); continue }
            if count == 0 { break }
            guard errno == EAGAIN || errno == EINTR else { return .failure(Failure(reason: "connection lost")) }
            guard wait(fd, for: Int16(POLLIN), until: deadline) else { return .failure(timedOut) }
        }
        return Self.parse(reply)
    }

    /// Status code and body of an HTTP/1.x reply (read to EOF, so no chunked encoding with 1.0).
    static func parse(_ reply: Data) -> Result<Response, Failure> {
        let separator = Data("\r\n\r\n".utf8)
        guard let end = reply.range(of: separator) else {
            return .failure(Failure(reason: reply.isEmpty ? "connection closed without an answer" : "incomplete HTTP answer"))
        }
        let head = String(decoding: reply[reply.startIndex..<end.lowerBound], as: UTF8.self)
        let statusLine = head.split(separator: "\r\n", maxSplits: 1).first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            return .failure(Failure(reason: "not an HTTP answer"))
        }
        return .success(Response(status: status, body: Data(reply[end.upperBound...])))
    }

    private func wait(_ fd: Int32, for events: Int16, until deadline: Date) -> Bool {
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return false }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(left * 1000, 60_000).rounded(.up)))
            if ready > 0 { return true }
            if ready == 0 || errno != EINTR { return false }
        }
    }

    static func describe(_ code: Int32) -> String {
        switch code {
        case ECONNREFUSED: "connection refused"
        case ETIMEDOUT: "timed out"
        case EHOSTUNREACH, ENETUNREACH: "host unreachable"
        default: String(cString: strerror(code))
        }
    }
}
