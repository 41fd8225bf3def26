import ArgumentParser
import StationKit

/// `onair now "Artist - Title"`: the title on air now, in the stream, Icecast and nowplaying.json.
struct Now: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "now", abstract: "Set the title on air (live shows): onair now \"Artist - Title\".")

    @Argument(
        help: "The title, \"Artist - Title\" or just a title (words without quotes are joined with spaces).")
    var title: [String]
    @OptionGroup var daemon: DaemonConnection

    func run() throws {
        let response = daemon.send(.now(title.joined(separator: " ")))
        print(response.message ?? "title set")
    }
}
