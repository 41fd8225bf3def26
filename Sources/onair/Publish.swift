import ArgumentParser
import Foundation
import SiteGenerator

struct Publish: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Put a built site live in one step, in a folder or on a server over rsync/ssh.",
        discussion: """
            DEST (nginx's root, e.g. /srv/onair/site) becomes a link to a full copy of the site beside \
            it (.site.releases/ID); the link is swapped with one rename, so every request sees the old \
            site or the new one. nowplaying.json stays the daemon's: it lives in .site.live/ and every \
            copy links to it. A failed publish leaves the old site serving. With host:folder, rsync \
            sends the site to host:.site.incoming/ and `onair publish` runs on the server over ssh.
            Examples: onair build && onair publish /srv/onair/site
                      onair publish editor@radio.example:/srv/onair/site
            """)

    @Argument(help: ArgumentHelp("A folder, or host:folder (ssh).", valueName: "dest"))
    var destination: String

    @Option(help: ArgumentHelp("The built site to publish.", valueName: "dir"))
    var site = "site"

    @Option(help: ArgumentHelp("Remote shell for host:folder, as rsync -e takes it.", valueName: "command"))
    var rsh = "ssh"

    @Option(name: .customLong("remote-onair"), help: ArgumentHelp("onair on the server.", valueName: "path"))
    var remoteOnair = "onair"

    @Flag(name: .customLong("dry-run"), help: "Print the rsync and ssh commands for host:folder; run nothing.")
    var dryRun = false

    func validate() throws {
        guard !destination.isEmpty else { throw ValidationError("DEST must not be empty, e.g. /srv/onair/site") }
        if let (host, path) = RemotePublisher.split(destination), path.isEmpty || path == "." || path == "/" {
            throw ValidationError("'\(destination)' names no folder on \(host); write it like \(host):/srv/onair/site")
        }
    }

    func run() async throws {
        let siteURL = URL(fileURLWithPath: site)
        do {
            if let (host, path) = RemotePublisher.split(destination) {
                let remote = RemotePublisher(site: siteURL, host: host, path: path, shell: rsh, remoteOnair: remoteOnair)
                if dryRun {
                    for command in remote.commands { print(command.joined(separator: " ")) }
                    return
                }
                try remote.publish(log: { print($0) })
                print("Published \(site)/ to \(destination)")
            } else {
                let report = try SitePublisher(site: siteURL, destination: URL(fileURLWithPath: destination)).publish()
                for warning in report.warnings { FileHandle.standardError.write(Data("onair: warning: \(warning)\n".utf8)) }
                print("Published \(report.files) files (\(report.linked) unchanged) to \(destination) as release \(report.release)")
            }
        } catch let error as RemotePublisher.Failure {
            FileHandle.standardError.write(Data("onair: \(error.description)\n".utf8))
            throw ExitCode(1)
        } catch let error as SitePublisher.Failure {
            FileHandle.standardError.write(Data("onair: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
