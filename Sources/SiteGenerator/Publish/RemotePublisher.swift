import Foundation
import StationKit

/// `onair publish host:/srv/onair/site`: rsync sends the built site to a staging copy beside the
/// destination on the server (`.site.incoming/`, kept between publishes so only changed files
/// travel), then `onair publish` on the server puts that copy live in one step (`SitePublisher`).
/// If rsync or the remote step fails, the server's site is untouched.
public struct RemotePublisher: Sendable {
    public var site: URL
    /// `host` or `user@host`.
    public var host: String
    /// The destination on the server (absolute, or relative to the login's home).
    public var path: String
    /// The remote shell, as rsync's `-e` takes it (`ssh`, `ssh -p 2222`).
    public var shell: String
    /// `onair` on the server.
    public var remoteOnair: String

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Splits `host:folder` (rsync's notation: a colon before any slash); nil for a local path.
    public static func split(_ destination: String) -> (host: String, path: String)? {
        guard let colon = destination.firstIndex(of: ":") else { return nil }
        let host = String(destination[..<colon])
        guard !host.isEmpty, !host.contains("/") else { return nil }
        return (host, String(destination[destination.index(after: colon)...]))
    }

    public init(site: URL, host: String, path: String, shell: String = "ssh", remoteOnair: String = "onair") {
        self.site = site.standardizedFileURL
        self.host = host
        self.path = path
        self.shell = shell
        self.remoteOnair = remoteOnair
    }

    var trimmedPath: String {
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed.isEmpty ? "." : trimmed
    }

    /// `/srv/onair/.site.incoming`, beside the destination.
    var incoming: String {
        let url = URL(fileURLWithPath: trimmedPath, relativeTo: URL(fileURLWithPath: "/nonexistent-base"))
        let name = url.lastPathComponent
        guard let slash = trimmedPath.lastIndex(of: "/") else { return ".\(name).incoming" }
        return String(trimmedPath[...slash]) + ".\(name).incoming"
    }

    /// The two commands, for `--dry-run` and tests.
    public var commands: [[String]] {
        let rsync = [
            "rsync", "--recursive", "--links", "--times", "--perms", "--chmod=Du=rwx,Dgo=rx,Fu=rw,Fgo=r",
            "--delete", "--exclude=/\(SiteFiles.nowPlaying)", "-e", shell,
            site.path + "/", "\(host):\(incoming)/",
        ]
        let remote = [remoteOnair, "publish", "--site", incoming, trimmedPath].map(Self.shellQuoted).joined(separator: " ")
        let login = shell.split(separator: " ").map(String.init) + [host, remote]
        return [rsync, login]
    }

    /// Runs rsync, then the remote publish; their output goes to ours. Returns nothing; throws
    /// with the step that failed.
    public func publish(log: (String) -> Void) throws(Failure) {
        guard FileManager.default.fileExists(atPath: site.path + "/index.html") else {
            throw Failure(description: "\(site.path) has no index.html; run onair build first (or pass --site DIR)")
        }
        let steps = commands
        log("Sending \(site.path)/ to \(host):\(incoming)/ (rsync)")
        try run(steps[0], what: "rsync to \(host)")
        log("Swapping \(host):\(trimmedPath) to the new copy")
        try run(steps[1], what: "the publish on \(host)")
    }

    private func run(_ command: [String], what: String) throws(Failure) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        do { try process.run() } catch {
            throw Failure(description: "cannot start \(command[0]) (\(error.localizedDescription)); is it installed?")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(what) failed (exit status \(process.terminationStatus)); the site on \(host) is unchanged")
        }
    }

    /// `it's` -> `'it'\''s'` for the remote shell.
    static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
