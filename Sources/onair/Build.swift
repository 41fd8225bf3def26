import ArgumentParser
import Foundation
import SiteGenerator
import StationKit

/// The folders `build` and `check` work on.
struct SiteOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The station's content: station.yaml, schedule.md, shows/, pages/, news/, images/.", valueName: "dir"))
    var content = "Content"

    @Option(help: ArgumentHelp("Mustache templates and assets/.", valueName: "dir"))
    var templates = "Templates"

    @Option(help: ArgumentHelp("Where the site is written (nginx's document root).", valueName: "dir"))
    var output = "site"

    @Option(
        name: .customLong("base-url"),
        help: ArgumentHelp("Use this instead of station.yaml's base_url (e.g. http://127.0.0.1:8080).", valueName: "url"))
    var baseURL: String?

    @Flag(help: "The station runs onair-api behind nginx at /api/: add the chat panel and let pages probe /api/me.")
    var api = false

    @Option(
        help: ArgumentHelp(
            "onaird's recordings folder (record.dir), for \"Listen again\" and podcasts; beats station.yaml's recordings:.", valueName: "dir"))
    var recordings: String?

    func validate() throws {
        if let baseURL {
            guard let url = URL(string: baseURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--base-url must be an absolute http(s) URL like http://127.0.0.1:8080, not '\(baseURL)'")
            }
        }
    }

    /// `SOURCE_DATE_EPOCH` (reproducible builds) pins the build's "now"; otherwise the library uses
    /// the start of today in the station's zone.
    func buildOptions(write: Bool) throws -> BuildOptions {
        var now: Date?
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], !epoch.isEmpty {
            guard let seconds = Int64(epoch) else {
                throw ValidationError("SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, not '\(epoch)'")
            }
            now = Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        var options = BuildOptions(content: content, templates: templates, output: output, baseURL: baseURL, now: now, write: write, api: api)
        options.recordingsURL = recordings.map { URL(fileURLWithPath: $0).standardizedFileURL }
        return options
    }

    /// Writes a line to stdout unbuffered, so `--watch` output reaches a pipe or a log at once.
    static func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    /// Runs one build and prints its log and errors; true when it succeeded.
    static func run(_ options: BuildOptions, quiet: Bool = false) -> Bool {
        let builder = SiteBuilder(
            options: options,
            log: { line in
                if line.contains(": warning: ") {
                    FileHandle.standardError.write(Data((line + "\n").utf8))
                } else if !quiet {
                    say(line)
                }
            })
        do {
            let summary = try builder.run()
            if !quiet, options.write {
                say("Built \(summary.files) files into \(options.outputURL.path) (now = \(ISO8601.string(summary.now)))")
            }
            return true
        } catch {
            for problem in error.errors { FileHandle.standardError.write(Data((problem.description + "\n").utf8)) }
            let count = error.errors.count
            FileHandle.standardError.write(
                Data("\(count) error\(count == 1 ? "" : "s"); \(options.write ? "site not changed" : "nothing written")\n".utf8))
            return false
        }
    }
}

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the listener site from Content/ and Templates/ into site/.",
        discussion: """
            On any content error every error is printed as path:line: error: message, the exit status \
            is 1 and site/ is left exactly as it was. Unchanged files keep their mtime; \
            site/nowplaying.json (the daemon's) is never touched. Set SOURCE_DATE_EPOCH to pin the \
            build's "now" (otherwise: the start of today in the station's time zone).
            """)

    @OptionGroup var site: SiteOptions

    @Flag(
        help: """
            Rebuild whenever Content/, Templates/ or the recordings folder change: an airing onaird \
            finishes or prunes (stop with Ctrl-C).
            """)
    var watch = false

    func run() async throws {
        let options = try site.buildOptions(write: true)
        let ok = SiteOptions.run(options)
        guard watch else {
            if !ok { throw ExitCode(1) }
            return
        }
        var recordings = options.recordingsFolder
        var watcher = try watching(options, recordings: recordings)
        while true {
            guard watcher.waitForChange() else { continue }
            SiteOptions.say("Change detected, rebuilding")
            var again = try site.buildOptions(write: true)
            again.clock = Date()
            _ = SiteOptions.run(again)
            // station.yaml may name another recordings folder now.
            if again.recordingsFolder != recordings {
                recordings = again.recordingsFolder
                watcher = try watching(again, recordings: recordings)
            }
        }
    }

    /// A watcher over the content, the templates and the recordings folder (if any), announced.
    private func watching(_ options: BuildOptions, recordings: URL?) throws -> FolderWatcher {
        let watcher = try FolderWatcher(folders: [options.contentURL, options.templatesURL] + (recordings.map { [$0] } ?? []))
        let folders = [site.content + "/", site.templates + "/"] + (recordings.map { [$0.path + "/"] } ?? [])
        SiteOptions.say("Watching \(folders.dropLast().joined(separator: ", ")) and \(folders.last ?? "") for changes (Ctrl-C to stop)")
        return watcher
    }
}
