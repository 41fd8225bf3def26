import ArgumentParser

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "Not built yet.")
    func run() async throws { throw ValidationError("'onair build' is not built yet") }
}
