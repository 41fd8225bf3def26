import Foundation
import StationKit
import Yams

extension DaemonConfig {
    /// Reads and validates `onaird.yaml`. `path` is shown in errors as given; relative paths inside
    /// resolve against its folder. `environment` supplies `ONAIR_SOURCE_PASSWORD`.
    public static func load(path: String, environment: [String: String] = [:]) throws(ConfigError) -> DaemonConfig {
        let (reader, top) = try ConfigReader.open(path, keys: topKeys)
        return try build(top, reader: reader, environment: environment)
    }

    /// Validates the text of a config; `file` names it in errors.
    static func parse(
        yaml: String, file: String, baseDirectory: URL,
        environment: [String: String] = [:]
    ) throws(ConfigError) -> DaemonConfig {
        let (reader, top) = try ConfigReader.parse(yaml, file: file, base: baseDirectory, keys: topKeys)
        return try build(top, reader: reader, environment: environment)
    }

    static let topKeys =
        [
            "site", "interval", "control_socket", "icecast", "outputs", "audio", "source",
            "station_name", "public_stream_url", "record", "live",
        ] + programmeKeys
    static let icecastKeys = ["url", "user", "password_file", "listener_mount", "admin_user", "admin_password_file"]
    static let outputKeys = ["mount", "format", "quality", "bitrate"]
    static let audioKeys = ["sample_rate", "channels"]
    static let sourceKeys = ["kind", "path", "shuffle", "device", "frequency", "title_every", "music"]

    private static func build(
        _ top: ConfigReader.Section, reader: ConfigReader,
        environment: [String: String]
    ) throws(ConfigError) -> DaemonConfig {
        let site = try reader.path(top, "site", default: "./site")
        let interval = try reader.integer(
            top, "interval", default: 5, in: 1...3600,
            requirement: "a whole number of seconds from 1 to 3600")
        let controlSocket = try reader.path(top, "control_socket", default: "./onaird.sock")
        if controlSocket.utf8.count > ControlSocket.maxPathLength {
            throw .invalid(
                file: reader.file, line: reader.line(top, "control_socket"), key: "control_socket",
                requirement: "a path of at most \(ControlSocket.maxPathLength) bytes once resolved (use a shorter folder)",
                value: "'\(controlSocket)'")
        }

        let outputs = try readOutputs(top, reader: reader)

        let ice = try reader.subsection(top, "icecast", keys: icecastKeys)
        let url = try reader.string(ice, "url", default: "http://127.0.0.1:8000")
        guard let server = ServerURL(url) else {
            throw .invalid(
                file: reader.file, line: reader.line(ice, "url"), key: "icecast.url", requirement: "an http://host:port address",
                value: "'\(url)'")
        }
        let user = try reader.string(ice, "user", default: "source")
        let listenerMount = try reader.mount(ice, "listener_mount", default: outputs[0].mount)
        let (password, passwordSource) = try readPassword(
            ice, "password_file", default: "./source.password", variable: "ONAIR_SOURCE_PASSWORD",
            what: "the Icecast source password", reader: reader, environment: environment)
        let admin = try readAdmin(ice, server: server, reader: reader, environment: environment)

        let audioSection = try reader.subsection(top, "audio", keys: audioKeys)
        let sampleRate = try reader.integer(
            audioSection, "sample_rate", default: 44_100, in: 1...1_000_000,
            requirement: "44100 or 48000")
        guard sampleRate == 44_100 || sampleRate == 48_000 else {
            throw .invalid(
                file: reader.file, line: reader.line(audioSection, "sample_rate"), key: "audio.sample_rate", requirement: "44100 or 48000",
                value: "'\(sampleRate)'")
        }
        let channels = try reader.integer(
            audioSection, "channels", default: 2, in: 1...2,
            requirement: "1 (mono) or 2 (stereo)")

        let sourceSection = try reader.subsection(top, "source", keys: sourceKeys)
        let kindText = try reader.string(sourceSection, "kind", default: "tone")
        guard let kind = SourceSettings.Kind(rawValue: kindText) else {
            throw .invalid(
                file: reader.file, line: reader.line(sourceSection, "kind"), key: "source.kind", requirement: "schedule, playlist, alsa or tone",
                value: "'\(kindText)'")
        }
        // Every key is checked whatever the kind, so a typo in a commented-out source still shows.
        let path = try reader.path(sourceSection, "path", default: "./Content/music")
        let shuffle = try reader.bool(sourceSection, "shuffle", default: true)
        let device = try reader.string(sourceSection, "device", default: "default")
        let frequency = try reader.number(
            sourceSection, "frequency", default: 440, in: 20...20_000,
            requirement: "a frequency in Hz from 20 to 20000")
        let titleEvery = try reader.number(
            sourceSection, "title_every", default: 0, in: 0...86_400,
            requirement: "a number of seconds from 0 (one fixed title) to 86400")
        let music = try reader.path(sourceSection, "music", default: "./music")
        let programme = try readProgramme(top, reader: reader, environment: environment)
        let recording = try readRecording(top, reader: reader, site: site, outputs: outputs)
        let live = try readLive(top, reader: reader, silenceThreshold: programme.silenceThreshold, outputs: outputs, admin: admin)
        let source: SourceSettings =
            switch kind {
            case .tone: .tone(frequency: frequency, titleEvery: titleEvery)
            case .playlist: .playlist(path: path, shuffle: shuffle)
            case .alsa: .alsa(device: device)
            case .schedule:
                .schedule(
                    programme.scheduleSettings(
                        music: music, shuffle: shuffle,
                        scheduleFile: URL(fileURLWithPath: site).appendingPathComponent(SiteFiles.schedule).path))
            }

        // One place names the station: station.yaml, through the site's schedule.json; station_name
        // here only overrides it (a site not built yet: "OnAir").
        let stationName =
            top.values["station_name"] != nil
            ? try reader.string(top, "station_name", default: "OnAir")
            : Self.stationName(inSite: site) ?? "OnAir"
        let publicStreamURL = try reader.string(top, "public_stream_url", default: server.text + listenerMount)

        return DaemonConfig(
            site: URL(fileURLWithPath: site, isDirectory: true), interval: interval, controlSocket: controlSocket,
            icecast: Icecast(
                url: server.text, host: server.host, port: server.port, user: user,
                passwordSource: passwordSource, password: password, listenerMount: listenerMount, admin: admin),
            outputs: outputs, audio: AudioFormat(sampleRate: sampleRate, channels: channels), source: source,
            stationName: stationName, publicStreamURL: publicStreamURL, programme: programme, recording: recording,
            live: live)
    }

    private static func readOutputs(_ top: ConfigReader.Section, reader: ConfigReader) throws(ConfigError) -> [OutputSettings] {
        guard let items = try reader.list(top, "outputs") else {
            return [OutputSettings(mount: "/radio.ogg", format: .vorbis, quality: 0.4, bitrate: nil)]
        }
        guard !items.isEmpty else {
            throw .invalid(
                file: reader.file, line: reader.line(top, "outputs"), key: "outputs", requirement: "a list of at least one output",
                value: "an empty list")
        }
        var outputs: [OutputSettings] = []
        for (index, item) in items.enumerated() {
            let section = try reader.section(item, path: "outputs[\(index + 1)]", keys: outputKeys)
            guard section.values["mount"] != nil else {
                throw .invalid(
                    file: reader.file, key: "outputs[\(index + 1)].mount", requirement: "set (e.g. /radio.ogg)",
                    value: "missing")
            }
            let mount = try reader.mount(section, "mount", default: "")
            if outputs.contains(where: { $0.mount == mount }) {
                throw .invalid(
                    file: reader.file, line: reader.line(section, "mount"), key: "outputs[\(index + 1)].mount",
                    requirement: "different from the other outputs' mounts",
                    value: "'\(mount)' again")
            }
            let name = try reader.string(section, "format", default: OutputFormat.vorbis.rawValue)
            guard let format = OutputFormat(rawValue: name) else {
                throw .invalid(
                    file: reader.file, line: reader.line(section, "format"), key: "outputs[\(index + 1)].format",
                    requirement: "vorbis, mp3 or opus", value: "'\(name)'")
            }
            let hasQuality = section.values["quality"] != nil, hasBitrate = section.values["bitrate"] != nil
            if hasQuality && hasBitrate {
                throw .invalid(
                    file: reader.file, line: reader.line(section, "bitrate"), key: "outputs[\(index + 1)].bitrate",
                    requirement: "left out when 'quality' is set (choose one)", value: "both")
            }
            var output = OutputSettings(mount: mount, format: format, quality: nil, bitrate: nil)
            switch format {
            case .mp3:
                if hasQuality {
                    output.quality = Double(
                        try reader.integer(
                            section, "quality", default: 2, in: 0...9,
                            requirement: "a LAME VBR quality from 0 (best) to 9 (as lame -V)"))
                } else {
                    output.bitrate = try reader.integer(
                        section, "bitrate", default: StreamEncoders.mp3DefaultBitrate,
                        in: 32...320, requirement: "an MP3 bitrate in kbit/s from 32 to 320")
                }
            case .opus:
                if hasQuality {
                    throw .invalid(
                        file: reader.file, line: reader.line(section, "quality"), key: "outputs[\(index + 1)].quality",
                        requirement: "left out for opus (set 'bitrate' in kbit/s instead)", value: "set")
                }
                output.bitrate = try reader.integer(
                    section, "bitrate", default: StreamEncoders.opusDefaultBitrate,
                    in: 6...510, requirement: "an Opus bitrate in kbit/s from 6 to 510")
            case .vorbis:
                if hasBitrate {
                    output.bitrate = try reader.integer(
                        section, "bitrate", default: 128, in: 32...500,
                        requirement: "a bitrate in kbit/s from 32 to 500")
                } else {
                    let quality = try reader.number(
                        section, "quality", default: 4, in: -1...10,
                        requirement: "a Vorbis quality from -1 to 10 (as oggenc -q)")
                    output.quality = quality / 10
                }
            }
            outputs.append(output)
        }
        return outputs
    }

    /// `admin_user` and `admin_password_file` (or `$ONAIR_ADMIN_PASSWORD`): Icecast's admin login,
    /// so that taking a DJ off the air also ends their connection. Optional: nil without either.
    private static func readAdmin(
        _ ice: ConfigReader.Section, server: ServerURL, reader: ConfigReader, environment: [String: String]
    ) throws(ConfigError) -> IcecastAdmin? {
        let user = try reader.string(ice, "admin_user", default: "admin")
        guard ice.values["admin_password_file"] != nil || !(environment["ONAIR_ADMIN_PASSWORD"] ?? "").isEmpty else { return nil }
        let (password, source) = try readPassword(
            ice, "admin_password_file", default: "./admin.password", variable: "ONAIR_ADMIN_PASSWORD",
            what: "Icecast's admin password (<admin-password>)", reader: reader, environment: environment)
        return IcecastAdmin(host: server.host, port: server.port, user: user, passwordSource: source, password: password)
    }

    /// The first line of the file `key` names, or the environment's `variable` when set.
    private static func readPassword(
        _ ice: ConfigReader.Section, _ key: String, default fallback: String, variable: String, what: String,
        reader: ConfigReader, environment: [String: String]
    ) throws(ConfigError) -> (String, String) {
        if let fromEnvironment = environment[variable], !fromEnvironment.isEmpty {
            return (fromEnvironment, "$\(variable)")
        }
        let file = try reader.path(ice, key, default: fallback)
        let text: String
        do {
            text = try TextFile.read(file, limit: 4096)
        } catch {
            throw .unreadablePassword(path: file, reason: error.reason, permission: error.code == EACCES || error.code == EPERM)
        }
        let password =
            text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        guard !password.isEmpty else { throw .emptyPassword(path: file, what: what) }
        return (password, file)
    }
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

extension DaemonConfig {
    /// The station's name as the site's `schedule.json` gives it (from station.yaml), if readable.
    static func stationName(inSite site: String) -> String? {
        guard let data = FileManager.default.contents(atPath: site + "/" + SiteFiles.schedule),
            let name = try? ScheduleDocument.decode(data).stationName
        else { return nil }
        return TrackTitle.clean(name)
    }
}
