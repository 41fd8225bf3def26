import ArgumentParser

struct NginxConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "nginx-config", abstract: "Not built yet.")
    func run() async throws { throw ValidationError("'onair nginx-config' is not built yet") }
}
