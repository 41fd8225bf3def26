import CShout
import Foundation

/// Where and how to send one stream. `password` is used for the login only: it is not part of
/// `description`, of any error, or of anything logged.
public struct ShoutTarget: Sendable, Hashable, CustomStringConvertible {
    public enum Format: Sendable, Hashable { case ogg, mp3 }
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var mount: String
    public var format: Format
    public var name: String
    public var streamDescription: String
    public var url: String
    public var genre: String
    /// Sent as `ice-audio-info` (Icecast shows it in its status), e.g. ["samplerate": "44100"].
    public var audioInfo: [String: String]

    public init(
        host: String, port: Int, user: String, password: String, mount: String, format: Format = .ogg,
        name: String = "", streamDescription: String = "", url: String = "", genre: String = "",
        audioInfo: [String: String] = [:]
    ) {
        self.host = host; self.port = port; self.user = user; self.password = password; self.mount = mount
        self.format = format; self.name = name; self.streamDescription = streamDescription; self.url = url
        self.genre = genre; self.audioInfo = audioInfo
    }

    /// `127.0.0.1:8000/radio.ogg`
    public var description: String { "\(host):\(port)\(mount)" }
}

/// One libshout connection to an Icecast mount (HTTP protocol, blocking I/O).
/// Not Sendable: owned by the streaming thread. The handle is freed in `deinit`.
public final class ShoutConnection {
    private static let initialize: Void = { shout_init() }()

    private let handle: OpaquePointer
    public let target: ShoutTarget
    public private(set) var isConnected = false

    /// Creates the handle and sets every parameter; `open()` connects.
    public init(target: ShoutTarget) throws {
        _ = Self.initialize
        guard let handle = shout_new() else {
            throw ShoutError(function: "shout_new", code: -5, message: "out of memory")
        }
        self.handle = handle
        self.target = target
        try check(shout_set_host(handle, target.host), "shout_set_host")
        guard let port = UInt16(exactly: target.port) else {
            throw ShoutError(function: "shout_set_port", code: -1, message: "port \(target.port) is out of range")
        }
        try check(shout_set_port(handle, port), "shout_set_port")
        try check(shout_set_protocol(handle, 0 /* SHOUT_PROTOCOL_HTTP */), "shout_set_protocol")
        _ = shout_set_tls(handle, 0 /* SHOUT_TLS_DISABLED; unsupported without TLS support: fine */)
        try check(shout_set_user(handle, target.user), "shout_set_user")
        try check(shout_set_password(handle, target.password), "shout_set_password")
        try check(shout_set_mount(handle, target.mount), "shout_set_mount")
        try check(shout_set_agent(handle, "OnAir onaird"), "shout_set_agent")
        let format: UInt32 = target.format == .ogg ? 0 /* SHOUT_FORMAT_OGG */ : 1 /* SHOUT_FORMAT_MP3 */
        try check(shout_set_content_format(handle, format, 1 /* SHOUT_USAGE_AUDIO */, nil), "shout_set_content_format")
        try check(shout_set_nonblocking(handle, 0), "shout_set_nonblocking")
        for (key, value) in [
            ("name", target.name), ("description", target.streamDescription),
            ("url", target.url), ("genre", target.genre),
        ] where !value.isEmpty {
            try check(shout_set_meta(handle, key, value), "shout_set_meta")
        }
        for (key, value) in target.audioInfo.sorted(by: { $0.key < $1.key }) {
            try check(shout_set_audio_info(handle, key, value), "shout_set_audio_info")
        }
    }

    deinit {
        if isConnected { shout_close(handle) }
        shout_free(handle)
    }

    /// Connects and logs in; throws `ShoutError` (`isLoginRefused` for a wrong password or refused mount).
    public func open() throws {
        if isConnected { return }
        try check(shout_open(handle), "shout_open")
        isConnected = true
    }

    /// Sends encoded bytes (whole Ogg pages). Throws when the connection broke.
    public func send(_ data: [UInt8]) throws {
        guard !data.isEmpty else { return }
        let code = data.withUnsafeBufferPointer { buffer in
            shout_send(handle, buffer.baseAddress, buffer.count)
        }
        if code != 0 { isConnected = false }
        try check(code, "shout_send")
    }

    /// Sets the title Icecast gives MP3 listeners as ICY `StreamTitle` (and shows in its status).
    /// libshout sends it on a separate admin request; the stream itself goes on.
    public func setSongMetadata(_ song: String) throws {
        guard let metadata = shout_metadata_new() else {
            throw ShoutError(function: "shout_metadata_new", code: -5, message: "out of memory")
        }
        defer { shout_metadata_free(metadata) }
        try check(shout_metadata_add(metadata, "song", song), "shout_metadata_add")
        try check(shout_set_metadata_utf8(handle, metadata), "shout_set_metadata_utf8")
    }

    /// Bytes libshout still holds because the socket would block.
    public var queuedBytes: Int { max(0, Int(shout_queuelen(handle))) }

    public func close() {
        if isConnected {
            shout_close(handle)
            isConnected = false
        }
    }

    private func check(_ code: Int32, _ function: String) throws {
        guard code == 0 else {
            let message = shout_get_error(handle).map { String(cString: $0) } ?? "unknown error"
            throw ShoutError(function: function, code: Int(code), message: message)
        }
    }
}
