import Foundation
import Yams

/// `onair-api.yaml` (DESIGN.md, "Interactive service"): where the service listens, keeps its data
/// and finds the site and onaird. Relative paths are resolved against the config file's folder.
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
        public var mount: String = "/live.ogg"
        public var user: String = "source"
        public var format: String?
        public var bitrate: Int?
    }

    public init() {}

    var nowPlayingPath: String { (site as NSString).appendingPathComponent("nowplaying.json") }

    struct File: Decodable {
        var listen: String?
        var data_dir: String?
        var site: String?
        var control_socket: String?
        var public_origin: String?
        var source_client: SourceClient?
        var chat: Chat?
    }

    struct Chat: Decodable {
        var keep_days: Int?
    }

    /// Reads and checks a config file; errors name the file and the key.
    public static func load(path: String) throws -> APIConfig {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError("\(path): cannot read the config file (does it exist?)")
        }
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: text.isEmpty ? "{}" : text)
        } catch {
            throw ConfigError("\(path): not a valid onair-api config: \(error)")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        func resolve(_ value: String) -> String {
            URL(fileURLWithPath: value.hasPrefix("/") ? value : (base as NSString).appendingPathComponent(value)).standardizedFileURL.path
        }
        var config = APIConfig()
        if let listen = file.listen {
            guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
                  (1...65535).contains(port), colon > listen.startIndex else {
                throw ConfigError("\(path): listen must be HOST:PORT such as 127.0.0.1:8090, not '\(listen)'")
            }
            config.host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            config.port = port
        }
        config.dataDir = resolve(file.data_dir ?? "./data")
        config.site = resolve(file.site ?? "./site")
        config.controlSocket = resolve(file.control_socket ?? "./onaird.sock")
        if let origin = file.public_origin {
            let trimmed = String(origin.reversed().drop { $0 == "/" }.reversed())
            let host = trimmed.hasPrefix("https://") ? trimmed.dropFirst(8) : trimmed.hasPrefix("http://") ? trimmed.dropFirst(7) : nil
            guard let host, !host.isEmpty, !host.contains("/"), !host.contains(" ") else {
                throw ConfigError("\(path): public_origin must be a scheme and host such as https://radio.example, not '\(origin)'")
            }
            config.publicOrigin = trimmed
        }
        if let client = file.source_client { config.sourceClient = client }
        if let days = file.chat?.keep_days {
            guard (1...3650).contains(days) else {
                throw ConfigError("\(path): chat.keep_days must be 1 to 3650 days, not \(days)")
            }
            config.chatKeepDays = days
        }
        return config
    }
}

/// A config problem, as one line.
public struct ConfigError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
