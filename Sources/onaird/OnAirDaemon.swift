import ArgumentParser

@main
struct OnAirDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "onaird", abstract: "Stream to Icecast and publish now-playing.")
    @Option(help: "Path to onaird.yaml.") var config: String = "onaird.yaml"
    func run() async throws { throw ValidationError("onaird is not built yet") }
}
