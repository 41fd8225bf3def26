import ArgumentParser

struct Now: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "now", abstract: "Not built yet.")
    func run() async throws { throw ValidationError("'onair now' is not built yet") }
}
