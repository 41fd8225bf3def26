import ArgumentParser
import StationKit

/// `onair end-live`: take the DJ on the live mount off the air; the programme fades back in.
struct EndLive: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "end-live",
        abstract: "Take the live DJ off the air (the programme fades back in).",
        discussion: """
            The DJ's connection to Icecast stays open, but onaird does not air it again; the DJ is \
            back on air when they reconnect. To keep a DJ account out, remove it: onair user remove NAME.
            """)

    @OptionGroup var daemon: DaemonConnection

    func run() throws {
        let response = daemon.send(.endLive(by: "the operator (onair end-live)"))
        print(response.message ?? "the DJ goes off the air")
    }
}
