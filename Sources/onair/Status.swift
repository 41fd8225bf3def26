import ArgumentParser
import Foundation
import StationKit

/// `onair status`: what onaird is doing (source, title, connected mounts, listeners, uptime).
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show what onaird is doing.")

    @Flag(help: "Print the daemon's raw JSON answer.") var json = false
    @OptionGroup var daemon: DaemonConnection

    func run() throws {
        let response = daemon.send(.status)
        if json {
            let data = (try? JSONEncoder.onAir(pretty: true).encode(response)) ?? Data()
            print(String(decoding: data, as: UTF8.self))
            return
        }
        guard let status = response.status else { DaemonConnection.fail("onaird answered without a status") }
        for line in status.lines { print(line) }
    }
}
