import ArgumentParser
import Foundation
import Logging
import StationAPI

/// `onair-api --config onair-api.yaml`: sign-in, studio, listener chat and pushed updates behind nginx at /api/ (docs/API.md).
@main
struct OnAirAPI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onair-api",
        abstract: "The optional interactive service: sign-in, studio, listener chat and server-sent events.",
        discussion: "Run it behind nginx (onair nginx-config --api http://127.0.0.1:8090). See docs/API.md.",
        subcommands: [UserCommand.self])

    @Option(help: "Path to onair-api.yaml.") var config: String = "onair-api.yaml"
    @Option(help: "Log level: debug, info, notice, warning, error.") var logLevel: String = "info"

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of debug, info, notice, warning, error")
        }
        var apiConfig: APIConfig
        do {
            apiConfig = try APIConfig.load(path: config)
        } catch {
            Self.fail("\(error)")
        }
        if let state = ProcessInfo.processInfo.environment["STATE_DIRECTORY"], !state.isEmpty {
            // systemd's StateDirectory= wins; several directories are separated by ':'.
            apiConfig.dataDir = String(state.split(separator: ":").first ?? Substring(state))
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        do {
            try await APIServer.run(config: apiConfig, logger: Logger(label: "onair-api"))
        } catch {
            Self.fail("\(error)")
        }
    }

    static func fail(_ line: String) -> Never {
        FileHandle.standardError.write(Data("onair-api: \(line)\n".utf8))
        Foundation.exit(1)
    }
}
