import Foundation
import Logging
import StationKit
import Testing

@testable import Streamer

@Suite struct ControlServerTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func roundTripOverARealSocket() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("onaird.sock")
        let received = Locked<[ControlRequest]>([])
        let server = ControlServer(path: path, logger: logger) { request in
            received.withLock { $0.append(request) }
            switch request.command {
            case .now: return .success("title set to '\(request.text ?? "")'")
            case .skip: return .failure("nothing to skip")
            case .dj, .endLive: return .success("\(request.command.rawValue)")
            case .status:
                return ControlResponse(
                    ok: true,
                    status: ControlStatus(
                        source: "tone 440 Hz", title: "A - B", connectedMounts: ["/radio.ogg"], mounts: ["/radio.ogg"],
                        listeners: 2, online: true, live: false, liveStreamer: nil,
                        startedAt: Date(timeIntervalSince1970: 1_800_000_000), uptime: 42))
            }
        }
        try server.start()
        defer { server.stop() }

        var info = stat()
        #expect(lstat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)

        let client = ControlClient(path: path)
        #expect(try client.send(.now("A - B")) == .success("title set to 'A - B'"))
        #expect(try client.send(.skip) == .failure("nothing to skip"))
        let status = try client.send(.status)
        #expect(status.status?.title == "A - B")
        #expect(status.status?.uptime == 42)
        #expect(received.withLock { $0 } == [.now("A - B"), .skip, .status])
    }

    @Test func wireFormatIsOneJSONLine() throws {
        let line = String(decoding: try ControlRequest.now("A - B").line(), as: UTF8.self)
        #expect(line == #"{"command":"now","text":"A - B"}"# + "\n")
        let answer = String(decoding: try ControlWire.line(ControlResponse.failure("no")), as: UTF8.self)
        #expect(answer == #"{"error":"no","ok":false}"# + "\n")
    }

    @Test func garbageGetsAnErrorAnswer() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("c.sock")
        let server = ControlServer(path: path, logger: logger) { _ in .success("unused") }
        try server.start()
        defer { server.stop() }
        let fd = try ControlSocket.connect(to: path, timeout: 2)
        defer { close(fd) }
        try ControlSocket.writeAll(fd, Data("{\"command\":\"dance\"}\n".utf8))
        let answer = try ControlWire.decode(ControlResponse.self, from: try ControlSocket.readLine(fd))
        #expect(answer.ok == false)
        #expect(answer.error?.hasPrefix("not a control request") == true)
    }

    @Test func staleSocketIsReplacedAndRemovedOnStop() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("s.sock")
        // A socket file nobody listens on, as a crash leaves it.
        let fd = try ControlSocket.makeStreamSocket()
        _ = try ControlSocket.withAddress(path) { bind(fd, $0, $1) }
        close(fd)
        #expect(FileManager.default.fileExists(atPath: path))
        let server = ControlServer(path: path, logger: logger) { _ in .success("here") }
        try server.start()
        #expect(try ControlClient(path: path).send(.status) == .success("here"))
        // A second daemon on the same socket is refused.
        let second = ControlServer(path: path, logger: logger) { _ in .success("second") }
        let error = try #require(throws: ControlServer.Failure.self) { try second.start() }
        #expect(error.description == "cannot open the control socket \(path): another onaird is answering on it; stop that one first")
        server.stop()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func clientSaysWhenNoDaemonRuns() throws {
        let folder = try TemporaryFolder()
        let error = try #require(throws: ControlClient.Failure.self) {
            try ControlClient(path: folder.path("none.sock")).send(.status)
        }
        #expect(error.description == "cannot reach onaird at \(folder.path("none.sock")): no such file or directory (is onaird running?)")
        let fd = try ControlSocket.makeStreamSocket()
        _ = try ControlSocket.withAddress(folder.path("dead.sock")) { bind(fd, $0, $1) }
        close(fd)
        let refused = try #require(throws: ControlClient.Failure.self) {
            try ControlClient(path: folder.path("dead.sock")).send(.status)
        }
        #expect(refused.description == "cannot reach onaird at \(folder.path("dead.sock")): connection refused (is onaird running?)")
    }
}
