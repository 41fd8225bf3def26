import ArgumentParser

struct New: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "new", abstract: "Not built yet.")
    func run() async throws { throw ValidationError("'onair new' is not built yet") }
}
