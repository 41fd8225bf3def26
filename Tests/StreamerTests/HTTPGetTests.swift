import Foundation
import Testing

@testable import Streamer

/// The status poller's HTTP client: parsing Icecast's answers and failing with a short reason.
@Suite struct HTTPGetTests {
    @Test func parsesStatusAndBody() throws {
        let reply = Data("HTTP/1.0 200 OK\r\nContent-Type: text/javascript\r\n\r\n{\"icestats\":{}}".utf8)
        let response = try HTTPGet.parse(reply).get()
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "{\"icestats\":{}}")
    }

    @Test(arguments: [
        ("", "connection closed without an answer"),
        ("HTTP/1.0 200 OK\r\nContent-Type: x", "incomplete HTTP answer"),
        ("SSH-2.0-OpenSSH\r\n\r\n", "not an HTTP answer"),
    ])
    func unreadableAnswers(reply: String, reason: String) {
        #expect(HTTPGet.parse(Data(reply.utf8)) == .failure(HTTPGet.Failure(reason: reason)))
    }

    @Test func refusedConnectionIsUnreachable() async throws {
        // A port that was just free: nothing listens on it.
        let port = try freePort()
        let outcome = await IcecastStatusPoller(server: "http://127.0.0.1:\(port)", timeout: 2).poll()
        #expect(outcome == .unreachable(reason: "connection refused"))
    }

    @Test func serverThatNeverAnswersTimesOut() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        _ = listen(listener, 4)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        let port = UInt16(bigEndian: address.sin_port)
        let outcome = await IcecastStatusPoller(server: "http://127.0.0.1:\(port)", timeout: 1).poll()
        #expect(outcome == .unreachable(reason: "no answer within 1 s"))
    }

    @Test func notAnHTTPServerAddress() async {
        let outcome = await IcecastStatusPoller(server: "https://127.0.0.1:8000").poll()
        #expect(outcome == .unreachable(reason: "https://127.0.0.1:8000 is not an http:// server address"))
    }

    private func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return UInt16(bigEndian: address.sin_port)
    }
}
