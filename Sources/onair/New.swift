import ArgumentParser
import Foundation
import SiteGenerator
import StationKit

struct New: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Start a new show, page or news post from a template.",
        discussion: "Example: onair new show \"Night Owls\" writes Content/shows/night-owls.md.")

    @Argument(help: ArgumentHelp("What to create: show, page or post.", valueName: "kind"))
    var kind: Scaffold.Kind

    @Argument(help: "Its title, e.g. \"Night Owls\".")
    var title: String

    @Option(help: ArgumentHelp("The station's content folder.", valueName: "dir"))
    var content = "Content"

    func validate() throws {
        guard !Scaffold.slug(title).isEmpty else {
            throw ValidationError("the title '\(title)' has no letters or digits to make a file name from")
        }
    }

    func run() async throws {
        let url = URL(fileURLWithPath: content).standardizedFileURL
        var display = content
        while display.count > 1, display.hasSuffix("/") { display.removeLast() }
        let today = ISO8601.string(Date()).prefix(10)
        do {
            let path = try Scaffold.create(kind, title: title, contentURL: url, contentPath: display, today: String(today))
            print("Created \(path)")
            if kind == .show { print("Next: fill in its front matter and add it to \(display)/schedule.md") }
        } catch {
            FileHandle.standardError.write(Data("onair: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}

extension Scaffold.Kind: ExpressibleByArgument {}
