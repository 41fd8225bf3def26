import ArgumentParser
import StationKit

/// `onair end-live`: take the DJ on the live mount off the air; the programme fades back in.
struct EndLive: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "end-live",
        abstract: "Take the live DJ off the air (the programme fades back in).",
        discussion: """
            With Icecast's admin login (icecast.admin_password_file in onaird.yaml) their connection is \
            ended too; without it, it stays open but is not aired again. Either way a reconnect by the \
            same account or stream name is refused for live.end_hold seconds (default 60). To keep a DJ \
            account out for good, remove it: onair user remove NAME.
            """)

    @OptionGroup var daemon: DaemonConnection

    func run() throws {
        let response = daemon.send(.endLive(by: "the operator (onair end-live)"))
        print(response.message ?? "the DJ goes off the air")
    }
}
