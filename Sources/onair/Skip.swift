import ArgumentParser

struct Skip: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "skip", abstract: "Not built yet.")
    func run() async throws { throw ValidationError("'onair skip' is not built yet") }
}
