import Foundation
import StationKit
import Testing

@testable import Streamer

@Suite struct SystemdNotifierTests {
    /// A datagram socket bound like systemd's; returns its fd.
    func listen(_ path: String, abstract: Bool = false) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if abstract { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        #expect(result == 0)
        try ControlSocket.setTimeout(fd, seconds: 2)
        return fd
    }

    func receive(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return n > 0 ? String(decoding: buffer[..<n], as: UTF8.self) : ""
    }

    @Test func datagramsReachAPathSocket() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("notify")
        let fd = try listen(path)
        defer { close(fd) }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path, "WATCHDOG_USEC": "10000000"])
        #expect(notifier.watchdogInterval == .seconds(5))
        #expect(notifier.notify("READY=1\nSTATUS=streaming to /radio.ogg, 3 listeners") == nil)
        #expect(receive(fd) == "READY=1\nSTATUS=streaming to /radio.ogg, 3 listeners")
        notifier.notify("WATCHDOG=1")
        #expect(receive(fd) == "WATCHDOG=1")
    }

    @Test func datagramsReachAnAbstractSocket() throws {
        let name = "@onaird-test-\(UUID().uuidString.prefix(8))"
        let fd = try listen(name, abstract: true)
        defer { close(fd) }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": name])
        #expect(notifier.watchdogInterval == nil)
        #expect(notifier.notify("STOPPING=1") == nil)
        #expect(receive(fd) == "STOPPING=1")
    }

    @Test func withoutASocketNothingHappens() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(notifier.notify("READY=1") == nil)
        #expect(notifier.watchdogInterval == nil)
        #expect(
            SystemdNotifier(environment: ["NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": "100", "WATCHDOG_PID": "1"], pid: 2)
                .watchdogInterval == nil)
    }
}
