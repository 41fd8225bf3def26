import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `onair user add|list|remove|passwd`: runs `onair-api user ...` (found next to this `onair`, or on
/// PATH) with the same arguments and the same stdin, so SQLite stays out of `onair`.
struct User: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage studio accounts: add NAME --role admin|dj, list, remove NAME, passwd NAME [--data-dir DIR].",
        discussion: "The password is read from the first line of stdin, or asked for on a terminal; never from arguments. Needs onair-api installed.")

    @Argument(parsing: .captureForPassthrough, help: "add|list|remove|passwd and their arguments.")
    var arguments: [String] = []

    func run() throws {
        guard let program = Self.findAPI() else {
            throw ValidationError("onair-api is not installed next to onair or on PATH (build it with: swift build --product onair-api)")
        }
        let argv = [program, "user"] + arguments
        var cArgs = argv.map { strdup($0) }
        cArgs.append(nil)
        execv(program, &cArgs)
        throw ValidationError("cannot run \(program): \(String(cString: strerror(errno)))")
    }

    static func findAPI() -> String? {
        var candidates: [String] = []
        if let me = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((me as NSString).deletingLastPathComponent + "/onair-api")
        }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            candidates.append("\(dir)/onair-api")
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
