import ArgumentParser

/// `onair`: builds the listener site and talks to the running daemon.
@main
struct OnAir: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onair",
        abstract: "Build the station's listener site and control the streaming daemon.",
        subcommands: [
            Init.self, Build.self, Check.self, New.self, Publish.self, Now.self, Status.self, Skip.self, EndLive.self, Report.self, NginxConfig.self,
            User.self,
        ]
    )
}
