import ArgumentParser
import StationKit

/// `onair skip`: end the current playlist track and start the next.
struct Skip: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "skip", abstract: "Skip to the next playlist track.")

    @OptionGroup var daemon: DaemonConnection

    func run() throws {
        let response = daemon.send(.skip)
        print(response.message ?? "skipped")
    }
}
