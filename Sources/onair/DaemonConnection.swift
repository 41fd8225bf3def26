import ArgumentParser
import Foundation
import StationKit

/// `--socket` for the commands that talk to `onaird`, and the one place they send from.
struct DaemonConnection: ParsableArguments {
    @Option(help: "onaird's control socket (default: $ONAIR_CONTROL_SOCKET, else ./onaird.sock).")
    var socket: String?

    var path: String { socket ?? ProcessInfo.processInfo.environment["ONAIR_CONTROL_SOCKET"].flatMap { $0.isEmpty ? nil : $0 } ?? "./onaird.sock" }

    /// Sends one request; prints `onair: ...` and exits 1 when the daemon cannot be reached or says no.
    func send(_ request: ControlRequest) -> ControlResponse {
        let response: ControlResponse
        do {
            response = try ControlClient(path: path).send(request)
        } catch {
            Self.fail("\(error)")
        }
        guard response.ok else { Self.fail(response.error ?? "onaird refused without saying why") }
        return response
    }

    static func fail(_ line: String) -> Never {
        FileHandle.standardError.write(Data("onair: \(line)\n".utf8))
        Foundation.exit(1)
    }
}
