import Foundation
import StationKit
import Yams

extension DaemonConfig {
    /// Reads and validates `onaird.yaml`. `path` is shown in errors as given; relative paths inside
    /// resolve against its folder. `environment` supplies `ONAIR_SOURCE_PASSWORD`.
    public static func load(path: String, environment: [String: String] = [:]) throws(ConfigError) -> DaemonConfig {
        let text: String
        do {
            text = try TextFile.read(path)
        } catch {
            throw .unreadableConfig(path: path, reason: error.reason)
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        return try parse(yaml: text, file: path, baseDirectory: base, environment: environment)
    }

    /// Validates the text of a config; `file` names it in errors.
    public static func parse(yaml: String, file: String, baseDirectory: URL,
                             environment: [String: String] = [:]) throws(ConfigError) -> DaemonConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw Self.yamlError(error, file: file, yaml: yaml)
        } catch {
            throw .notYAML(file: file, line: nil, problem: "\(error)")
        }
        let reader = ConfigReader(file: file, base: baseDirectory)
        let top: ConfigReader.Section
        if let root {
            top = try reader.section(root, path: nil, keys: topKeys)
        } else {
            top = ConfigReader.Section(path: nil, values: [:])
        }
        return try build(top, reader: reader, environment: environment)
    }

    static let topKeys = ["site", "interval", "control_socket", "icecast", "outputs", "audio", "source",
                          "station_name", "public_stream_url"] + programmeKeys
    static let icecastKeys = ["url", "user", "password_file", "listener_mount"]
    static let outputKeys = ["mount", "format", "quality", "bitrate"]
    static let audioKeys = ["sample_rate", "channels"]
    static let sourceKeys = ["kind", "path", "shuffle", "device", "frequency", "title_every", "music"]

    private static func build(_ top: ConfigReader.Section, reader: ConfigReader,
                              environment: [String: String]) throws(ConfigError) -> DaemonConfig {
        let site = try reader.path(top, "site", default: "./site")
        let interval = try reader.integer(top, "interval", default: 5, in: 1...3600,
                                          requirement: "a whole number of seconds from 1 to 3600")
        let controlSocket = try reader.path(top, "control_socket", default: "./onaird.sock")
        if controlSocket.utf8.count > ControlSocket.maxPathLength {
            throw .invalid(file: reader.file, key: "control_socket",
                           requirement: "a path of at most \(ControlSocket.maxPathLength) bytes once resolved (use a shorter folder)",
                           value: "'\(controlSocket)'")
        }

        let outputs = try readOutputs(top, reader: reader)

        let ice = try reader.subsection(top, "icecast", keys: icecastKeys)
        let url = try reader.string(ice, "url", default: "http://127.0.0.1:8000")
        guard let server = ServerURL(url) else {
            throw .invalid(file: reader.file, key: "icecast.url", requirement: "an http://host:port address",
                           value: "'\(url)'")
        }
        let user = try reader.string(ice, "user", default: "source")
        let listenerMount = try reader.mount(ice, "listener_mount", default: outputs[0].mount)
        let (password, passwordSource) = try readPassword(ice, reader: reader, environment: environment)

        let audioSection = try reader.subsection(top, "audio", keys: audioKeys)
        let sampleRate = try reader.integer(audioSection, "sample_rate", default: 44_100, in: 1...1_000_000,
                                            requirement: "44100 or 48000")
        guard sampleRate == 44_100 || sampleRate == 48_000 else {
            throw .invalid(file: reader.file, key: "audio.sample_rate", requirement: "44100 or 48000", value: "'\(sampleRate)'")
        }
        let channels = try reader.integer(audioSection, "channels", default: 2, in: 1...2,
                                          requirement: "1 (mono) or 2 (stereo)")

        let sourceSection = try reader.subsection(top, "source", keys: sourceKeys)
        let kindText = try reader.string(sourceSection, "kind", default: "tone")
        guard let kind = SourceKind(rawValue: kindText) else {
            throw .invalid(file: reader.file, key: "source.kind", requirement: "schedule, playlist, alsa or tone",
                           value: "'\(kindText)'")
        }
        let source = Source(
            kind: kind,
            path: try reader.path(sourceSection, "path", default: "./Content/music"),
            shuffle: try reader.bool(sourceSection, "shuffle", default: true),
            device: try reader.string(sourceSection, "device", default: "default"),
            frequency: try reader.number(sourceSection, "frequency", default: 440, in: 20...20_000,
                                         requirement: "a frequency in Hz from 20 to 20000"),
            titleEvery: try reader.number(sourceSection, "title_every", default: 0, in: 0...86_400,
                                          requirement: "a number of seconds from 0 (one fixed title) to 86400"),
            music: try reader.path(sourceSection, "music", default: "./music")
        )
        let programme = try readProgramme(top, reader: reader, environment: environment)

        let stationName = try reader.string(top, "station_name", default: "OnAir")
        let publicStreamURL = try reader.string(top, "public_stream_url", default: server.text + listenerMount)

        return DaemonConfig(
            site: URL(fileURLWithPath: site, isDirectory: true), interval: interval, controlSocket: controlSocket,
            icecast: Icecast(url: server.text, host: server.host, port: server.port, user: user,
                             passwordSource: passwordSource, password: password, listenerMount: listenerMount),
            outputs: outputs, audio: AudioFormat(sampleRate: sampleRate, channels: channels), source: source,
            stationName: stationName, publicStreamURL: publicStreamURL, programme: programme)
    }

    private static func readOutputs(_ top: ConfigReader.Section, reader: ConfigReader) throws(ConfigError) -> [OutputSettings] {
        guard let items = try reader.list(top, "outputs") else {
            return [OutputSettings(mount: "/radio.ogg", format: "vorbis", quality: 0.4, bitrate: nil)]
        }
        guard !items.isEmpty else {
            throw .invalid(file: reader.file, key: "outputs", requirement: "a list of at least one output", value: "an empty list")
        }
        var outputs: [OutputSettings] = []
        for (index, item) in items.enumerated() {
            let section = try reader.section(item, path: "outputs[\(index + 1)]", keys: outputKeys)
            guard section.values["mount"] != nil else {
                throw .invalid(file: reader.file, key: "outputs[\(index + 1)].mount", requirement: "set (e.g. /radio.ogg)",
                               value: "missing")
            }
            let mount = try reader.mount(section, "mount", default: "")
            if outputs.contains(where: { $0.mount == mount }) {
                throw .invalid(file: reader.file, key: "outputs[\(index + 1)].mount", requirement: "different from the other outputs' mounts",
                               value: "'\(mount)' again")
            }
            let format = try reader.string(section, "format", default: "vorbis")
            guard StreamEncoders.formats.contains(format) else {
                throw .invalid(file: reader.file, key: "outputs[\(index + 1)].format",
                               requirement: "vorbis, mp3 or opus", value: "'\(format)'")
            }
            let hasQuality = section.values["quality"] != nil, hasBitrate = section.values["bitrate"] != nil
            if hasQuality && hasBitrate {
                throw .invalid(file: reader.file, key: "outputs[\(index + 1)].bitrate",
                               requirement: "left out when 'quality' is set (choose one)", value: "both")
            }
            var output = OutputSettings(mount: mount, format: format, quality: nil, bitrate: nil)
            switch format {
            case "mp3":
                if hasQuality {
                    output.quality = Double(try reader.integer(section, "quality", default: 2, in: 0...9,
                                                               requirement: "a LAME VBR quality from 0 (best) to 9 (as lame -V)"))
                } else {
                    output.bitrate = try reader.integer(section, "bitrate", default: StreamEncoders.mp3DefaultBitrate,
                                                        in: 32...320, requirement: "an MP3 bitrate in kbit/s from 32 to 320")
                }
            case "opus":
                if hasQuality {
                    throw .invalid(file: reader.file, key: "outputs[\(index + 1)].quality",
                                   requirement: "left out for opus (set 'bitrate' in kbit/s instead)", value: "set")
                }
                output.bitrate = try reader.integer(section, "bitrate", default: StreamEncoders.opusDefaultBitrate,
                                                    in: 6...510, requirement: "an Opus bitrate in kbit/s from 6 to 510")
            default:
                if hasBitrate {
                    output.bitrate = try reader.integer(section, "bitrate", default: 128, in: 32...500,
                                                        requirement: "a bitrate in kbit/s from 32 to 500")
                } else {
                    let quality = try reader.number(section, "quality", default: 4, in: -1...10,
                                                    requirement: "a Vorbis quality from -1 to 10 (as oggenc -q)")
                    output.quality = quality / 10
                }
            }
            outputs.append(output)
        }
        return outputs
    }

    private static func readPassword(_ ice: ConfigReader.Section, reader: ConfigReader,
                                     environment: [String: String]) throws(ConfigError) -> (String, String) {
        if let fromEnvironment = environment["ONAIR_SOURCE_PASSWORD"], !fromEnvironment.isEmpty {
            return (fromEnvironment, "$ONAIR_SOURCE_PASSWORD")
        }
        let file = try reader.path(ice, "password_file", default: "./source.password")
        let text: String
        do {
            text = try TextFile.read(file, limit: 4096)
        } catch {
            throw .unreadablePassword(path: file, reason: error.reason, permission: error.code == EACCES || error.code == EPERM)
        }
        let password = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        guard !password.isEmpty else { throw .emptyPassword(path: file) }
        return (password, file)
    }

    private static func yamlError(_ error: YamlError, file: String, yaml: String) -> ConfigError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return .notYAML(file: file, line: mark.line, problem: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            return .duplicateKey(file: file, line: secondLine(of: key, in: yaml, after: context.mark.line) ?? context.mark.line, key: key)
        default:
            return .notYAML(file: file, line: nil, problem: "\(error)")
        }
    }
}

/// The line where `key:` appears for the second time at or after `line` (Yams marks the mapping).
private func secondLine(of key: String, in yaml: String, after line: Int) -> Int? {
    var seen = 0
    for (index, text) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where index + 1 >= line {
        let trimmed = text.drop { $0 == " " || $0 == "-" }
        guard trimmed.hasPrefix(key), trimmed.dropFirst(key.count).drop(while: { $0 == " " }).first == ":" else { continue }
        seen += 1
        if seen == 2 { return index + 1 }
    }
    return nil
}

/// `http://host:port` split into its parts.
struct ServerURL {
    var host: String
    var port: Int
    var text: String

    init?(_ text: String) {
        var rest = Substring(text)
        guard rest.hasPrefix("http://") else { return nil }
        rest = rest.dropFirst("http://".count)
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@") else { return nil }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, !parts[0].isEmpty else { return nil }
        host = String(parts[0])
        if parts.count == 2 {
            guard let port = Int(parts[1]), (1...65_535).contains(port) else { return nil }
            self.port = port
        } else {
            port = 80
        }
        self.text = "http://\(host):\(port)"
    }
}
