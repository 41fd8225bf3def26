import Foundation
import StationKit

/// `onair-api.yaml` (DESIGN.md, "Interactive service"): where the service listens, keeps its data
/// and finds the site and onaird. Read with StationKit's `ConfigReader`, like onaird.yaml: unknown
/// keys are errors with a suggestion; relative paths resolve against the config file's folder.
public struct APIConfig: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8090
    public var dataDir = "./data"
    public var site = "./site"
    public var controlSocket = "./onaird.sock"
    /// Origin accepted for state changes besides the forwarded Host, e.g. `https://radio.example`.
    public var publicOrigin: String?
    /// What the studio shows a source client such as BUTT (never a password).
    public var sourceClient = SourceClient()
    /// Chat messages (and their events, deleted ones included) older than this many days are removed.
    public var chatKeepDays = 30

    public struct SourceClient: Sendable, Equatable, Codable {
        public var server: String?
        public var port: Int?
        public var mount: String = "/dj"
        public var user: String = "source"
        /// Each DJ goes live with their own studio account (Icecast's `stream_auth` asks onair-api):
        /// the studio then shows the signed-in DJ's name as the user, and their own password applies.
        public var accounts = false
        public var format: String?
        public var bitrate: Int?
    }

    public init() {}

    var nowPlayingPath: String { (site as NSString).appendingPathComponent("nowplaying.json") }

    static let topKeys = ["listen", "data_dir", "site", "control_socket", "public_origin", "source_client", "chat"]
    static let chatKeys = ["keep_days"]
    static let sourceClientKeys = ["server", "port", "mount", "user", "accounts", "format", "bitrate"]

    /// Reads and checks a config file; errors name the file, the line and the key.
    public static func load(path: String) throws(ConfigError) -> APIConfig {
        let (reader, top) = try ConfigReader.open(path, keys: topKeys)
        var config = APIConfig()
        if top.values["listen"] != nil {
            let listen = try reader.string(top, "listen", default: "")
            guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
                (1...65535).contains(port), colon > listen.startIndex
            else {
                throw .invalid(
                    file: path, line: reader.line(top, "listen"), key: "listen",
                    requirement: "HOST:PORT such as 127.0.0.1:8090", value: "'\(listen)'")
            }
            config.host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            config.port = port
        }
        config.dataDir = try reader.path(top, "data_dir", default: "./data")
        config.site = try reader.path(top, "site", default: "./site")
        config.controlSocket = try reader.path(top, "control_socket", default: "./onaird.sock")
        if top.values["public_origin"] != nil {
            let origin = try reader.string(top, "public_origin", default: "")
            let trimmed = String(origin.reversed().drop { $0 == "/" }.reversed())
            let host = trimmed.hasPrefix("https://") ? trimmed.dropFirst(8) : trimmed.hasPrefix("http://") ? trimmed.dropFirst(7) : nil
            guard let host, !host.isEmpty, !host.contains("/"), !host.contains(" ") else {
                throw .invalid(
                    file: path, line: reader.line(top, "public_origin"), key: "public_origin",
                    requirement: "a scheme and host such as https://radio.example", value: "'\(origin)'")
            }
            config.publicOrigin = trimmed
        }
        let client = try reader.subsection(top, "source_client", keys: sourceClientKeys)
        if client.values["server"] != nil { config.sourceClient.server = try reader.string(client, "server", default: "") }
        if client.values["port"] != nil {
            config.sourceClient.port = try reader.integer(client, "port", default: 8000, in: 1...65535, requirement: "a port from 1 to 65535")
        }
        config.sourceClient.mount = try reader.mount(client, "mount", default: config.sourceClient.mount)
        config.sourceClient.user = try reader.string(client, "user", default: config.sourceClient.user)
        config.sourceClient.accounts = try reader.bool(client, "accounts", default: false)
        if client.values["format"] != nil { config.sourceClient.format = try reader.string(client, "format", default: "") }
        if client.values["bitrate"] != nil {
            config.sourceClient.bitrate = try reader.integer(
                client, "bitrate", default: 128, in: 8...510,
                requirement: "a bitrate in kbit/s from 8 to 510")
        }
        let chat = try reader.subsection(top, "chat", keys: chatKeys)
        config.chatKeepDays = try reader.integer(
            chat, "keep_days", default: config.chatKeepDays, in: 1...3650,
            requirement: "a number of days from 1 to 3650")
        return config
    }
}
