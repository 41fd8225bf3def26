import ArgumentParser
import Foundation
import SiteGenerator

struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a new station in an empty folder: Content/ and Templates/.",
        discussion: """
            Writes DIR/Content (station.yaml with the name and time zone, an empty weekly schedule, \
            one show, an About page) and a copy of the templates, none of the example station's text. \
            The templates come from --templates, else /usr/share/onair/Templates (installed package), \
            else the Templates/ folder of the source checkout. Refuses a folder that is not empty.
            Example: onair init radio --name "Radio Example" --timezone Europe/Berlin
            """)

    @Argument(help: ArgumentHelp("The new station's folder (missing or empty).", valueName: "dir"))
    var dir: String

    @Option(help: ArgumentHelp("The station's name, as listeners see it.", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("The station's IANA time zone, e.g. Europe/Berlin.", valueName: "zone"))
    var timezone: String

    @Option(help: ArgumentHelp("Templates to copy (default: the installed or checked-out ones).", valueName: "dir"))
    var templates: String?

    func validate() throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--name must not be empty, e.g. --name \"Radio Example\"")
        }
        guard name.rangeOfCharacter(from: .newlines) == nil else {
            throw ValidationError("--name must be one line")
        }
        guard TimeZone(identifier: timezone) != nil, timezone.contains("/") || timezone == "UTC" else {
            throw ValidationError("unknown time zone '\(timezone)'; use an IANA name such as Europe/Berlin or America/New_York")
        }
    }

    func run() async throws {
        let scaffold = StationScaffold(
            name: name.trimmingCharacters(in: .whitespaces), timezone: timezone,
            templates: templatesURL())
        do {
            try scaffold.create(in: URL(fileURLWithPath: dir).standardizedFileURL, displayPath: dir)
        } catch {
            FileHandle.standardError.write(Data("onair: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
        print("Created the station \"\(scaffold.name)\" in \(dir): Content/ and Templates/")
        print("Next: cd \(dir) && onair build   (then edit Content/station.yaml, shows/ and schedule.md)")
    }

    /// `--templates`, else `<prefix>/share/onair/Templates` beside an installed `onair`
    /// (`/usr/bin/onair` -> `/usr/share/onair/Templates`), else `Templates/` of the checkout the
    /// binary was built in (`.build/<config>/onair` -> `Templates/`), else `./Templates`.
    func templatesURL() -> URL {
        if let templates { return URL(fileURLWithPath: templates).standardizedFileURL }
        let binary = URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0]
        ).standardizedFileURL
        var candidates = [
            binary.deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("share/onair/Templates")
        ]
        var folder = binary.deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(folder.appendingPathComponent("Templates"))
            folder = folder.deletingLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: "Templates").standardizedFileURL)
        let layout = "layout.mustache"
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent(layout).path) }
            ?? candidates[0]
    }
}
