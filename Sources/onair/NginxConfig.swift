import ArgumentParser
import Foundation
import SiteGenerator

/// `onair nginx-config`: prints the nginx server block for the site (see `NginxConfigFile`).
struct NginxConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nginx-config",
        abstract: "Print the nginx server block that serves the site and proxies the stream.",
        discussion: """
            Include the output inside nginx's http { } block. The page's <audio> plays \
            /stream/<mount>, which nginx proxies to Icecast with buffering off.
            Example: onair nginx-config --site /srv/onair/site --listen 80 --server-name radio.example
            """
    )

    @Option(help: "The built site folder (nginx's root); made absolute.")
    var site: String = "site"

    @Option(help: "Address nginx listens on: 127.0.0.1:8080, 80, [::]:443 ...")
    var listen: String = "127.0.0.1:8080"

    @Option(help: "Icecast base URL that /stream/ is proxied to.")
    var icecast: String = "http://127.0.0.1:8000"

    @Option(help: "server_name (_ matches any host).")
    var serverName: String = "_"

    @Option(help: "onair-api base URL to proxy /api/ to (left out when not given).")
    var api: String?

    @Option(help: "onaird's recordings folder (record.dir), served at /recordings/; made absolute (left out when not given).")
    var recordings: String?

    @Option(help: "Write the config to this file instead of standard output.")
    var output: String?

    func validate() throws {
        if let error = file.validationError() { throw ValidationError(error) }
    }

    var file: NginxConfigFile {
        NginxConfigFile(
            siteRoot: Self.absolute(site), listen: listen, icecastURL: icecast,
            serverName: serverName, apiURL: api, recordingsRoot: recordings.map(Self.absolute))
    }

    func run() async throws {
        let text = file.render()
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw ValidationError("cannot write \(output): \(error.localizedDescription)")
        }
    }

    /// `site` -> `/current/dir/site`, `/srv/x/` -> `/srv/x`.
    static func absolute(_ path: String) -> String {
        let base = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var standardized = URL(fileURLWithPath: base).standardizedFileURL.path
        while standardized.count > 1 && standardized.hasSuffix("/") { standardized.removeLast() }
        return standardized
    }
}
