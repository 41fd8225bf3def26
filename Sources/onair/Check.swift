import ArgumentParser
import SiteGenerator

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate Content/ and Templates/ without writing anything.",
        discussion: "Prints every error as path:line: error: message and exits 1 if there is any.")

    @OptionGroup var site: SiteOptions

    func run() async throws {
        if !SiteOptions.run(try site.buildOptions(write: false)) { throw ExitCode(1) }
        SiteOptions.say("No errors.")
    }
}
