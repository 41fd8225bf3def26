import ArgumentParser
import Foundation
import Logging
import Streamer

/// `onaird --config onaird.yaml`: stream to Icecast and publish now-playing (docs/DAEMON.md).
@main
struct OnAirDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onaird",
        abstract: "Stream to Icecast, carry titles in the stream and publish site/nowplaying.json.",
        discussion: "Signals: SIGTERM/SIGINT stop cleanly (nowplaying.json says offline), SIGHUP reloads. See docs/DAEMON.md.")

    @Option(help: "Path to onaird.yaml.") var config: String = "onaird.yaml"
    @Flag(help: "Check the config and exit (0 when it is usable).") var check = false
    @Option(help: "Log level: debug, info, notice, warning, error.") var logLevel: String = "info"

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of debug, info, notice, warning, error")
        }
        let daemonConfig: DaemonConfig
        do {
            daemonConfig = try DaemonConfig.load(path: config, environment: environment)
        } catch {
            Self.fail(error.description)
        }
        if check {
            print("onaird: \(config) is usable (\(daemonConfig.summary))")
            return
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "onaird")
        do {
            try await Daemon(configPath: config, config: daemonConfig, environment: environment, logger: logger).run()
        } catch {
            Self.fail(error.description)
        }
    }

    static func fail(_ line: String) -> Never {
        FileHandle.standardError.write(Data("onaird: \(line)\n".utf8))
        Foundation.exit(1)
    }
}
