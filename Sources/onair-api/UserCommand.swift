import ArgumentParser
import Foundation
import Logging
import StationAPI

/// `onair-api user add|list|remove|passwd`: staff accounts in the service's database.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage the staff accounts that sign in to the studio.",
        subcommands: [Add.self, List.self, Remove.self, Passwd.self])

    /// Where the database is: --data-dir, else $STATE_DIRECTORY, else the config's data_dir, else ./data.
    struct Location: ParsableArguments {
        @Option(help: "The service's data directory (default: $STATE_DIRECTORY, else data_dir from --config, else ./data).")
        var dataDir: String?
        @Option(help: "onair-api.yaml to take data_dir from.")
        var config: String?

        func open() async throws -> UserAdmin {
            var directory = dataDir
            if directory == nil, let state = ProcessInfo.processInfo.environment["STATE_DIRECTORY"], !state.isEmpty {
                directory = String(state.split(separator: ":").first ?? Substring(state))
            }
            if directory == nil, let config { directory = try APIConfig.load(path: config).dataDir }
            var logger = Logger(label: "onair-api")
            logger.logLevel = .warning
            return try await UserAdmin.open(dataDir: directory ?? "./data", logger: logger)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user; the password is the first line of stdin (or asked for on a terminal).")
        @Argument(help: "User name (letters, digits, '.', '_', '-').") var name: String
        @Option(help: "admin or dj.") var role: String
        @OptionGroup var location: Location

        func run() async throws {
            guard let role = User.Role(rawValue: role) else { throw ValidationError("--role must be admin or dj, not '\(role)'") }
            try await UserCommand.perform(location) { admin in
                let password = try PasswordInput.read(confirm: true)
                let user = try await admin.add(name: name, role: role, password: password)
                print("added \(user.name) (\(user.role.rawValue))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users and their roles.")
        @OptionGroup var location: Location

        func run() async throws {
            try await UserCommand.perform(location) { admin in
                let users = try await admin.list()
                if users.isEmpty { print("no users yet (add one with: onair user add NAME --role admin)") }
                for user in users { print("\(user.name)\t\(user.role.rawValue)\t\(ISO8601DateFormatter().string(from: user.createdAt))") }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user and end their sessions.")
        @Argument var name: String
        @OptionGroup var location: Location

        func run() async throws {
            try await UserCommand.perform(location) { admin in
                try await admin.remove(name: name)
                print("removed \(name)")
            }
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's password (first line of stdin, or asked for on a terminal); ends their sessions.")
        @Argument var name: String
        @OptionGroup var location: Location

        func run() async throws {
            try await UserCommand.perform(location) { admin in
                try await admin.setPassword(name: name, password: try PasswordInput.read(confirm: true))
                print("password changed for \(name)")
            }
        }
    }

    /// Opens the database, runs `body`, closes it; any failure is one line and exit 1.
    static func perform(_ location: Location, _ body: (UserAdmin) async throws -> Void) async throws {
        let admin: UserAdmin
        do { admin = try await location.open() } catch { fail("\(error)") }
        do {
            try await body(admin)
        } catch {
            await admin.close()
            fail("\(error)")
        }
        await admin.close()
    }

    static func fail(_ line: String) -> Never {
        FileHandle.standardError.write(Data("onair-api: \(line)\n".utf8))
        Foundation.exit(1)
    }
}
