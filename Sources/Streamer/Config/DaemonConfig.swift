import Foundation
import StationKit

/// `onaird.yaml`, validated, with relative paths resolved against the config file's folder.
/// The password is read at load time and kept out of every description.
public struct DaemonConfig: Sendable, Equatable {
    struct Icecast: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
        /// `http://host:port`, without a trailing slash.
        var url: String
        var host: String
        var port: Int
        var user: String
        /// Where the password came from: a file path, or `$ONAIR_SOURCE_PASSWORD`.
        var passwordSource: String
        var password: String
        var listenerMount: String
        /// `admin_user` + `admin_password_file`: lets onaird end a DJ's connection (nil: not given).
        var admin: IcecastAdmin?
        /// Never shows the password.
        var description: String { "Icecast(\(url), user: \(user), password from \(passwordSource))" }
        var debugDescription: String { description }
    }

    var site: URL
    var interval: Int
    var controlSocket: String
    var icecast: Icecast
    var outputs: [OutputSettings]
    var audio: AudioFormat
    /// What plays: parsed once, by kind, into the engine's own settings.
    var source: SourceSettings
    var stationName: String
    var publicStreamURL: String
    /// `slot_grace`, `ids_every`, `silence`, `hooks`, `playout_log` (DaemonConfig+Programme.swift).
    var programme = ProgrammeConfig()
    /// `record:` (nil: no recordings).
    var recording: RecordingSettings?
    /// `live:`: the DJ mount onaird takes in (DaemonConfig+Live.swift); nil: none.
    var live: LiveSettings?

    /// The engine's view of this config.
    var engineSettings: EngineSettings {
        EngineSettings(
            audio: audio, source: source, outputs: outputs,
            icecast: IcecastSettings(
                host: icecast.host, port: icecast.port, user: icecast.user,
                password: icecast.password, stationName: stationName,
                stationDescription: "", stationURL: ""),
            recording: recording, live: live)
    }

    /// `tone 440 Hz`, `playlist /srv/music`, ...: for logs and `onair status`.
    public var sourceSummary: String { source.summary }

    /// What `onaird --check` prints: the source, the server and the mounts.
    public var summary: String { "\(source.summary) -> \(icecast.url)\(outputs.map(\.mount).joined(separator: ", "))" }

    /// Public URL of an output mount (listeners' view): the listener mount is `public_stream_url`;
    /// the other mounts sit beside it (same host and path, e.g. nginx's /stream/ in front of
    /// Icecast), so nowplaying.json never mixes proxied and direct Icecast URLs.
    func publicURL(of mount: String) -> String {
        if mount == icecast.listenerMount { return publicStreamURL }
        let listenerName = icecast.listenerMount.split(separator: "/").last.map(String.init) ?? ""
        guard !listenerName.isEmpty, publicStreamURL.hasSuffix("/" + listenerName) else { return icecast.url + mount }
        let base = publicStreamURL.dropLast(listenerName.count + 1)
        return base + "/" + mount.drop { $0 == "/" }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
