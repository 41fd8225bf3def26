import Foundation
import Logging
import Shout
import Vorbis

/// One output: a Vorbis encoder and a libshout connection to one mount. While Icecast is away it
/// drops the audio (the source keeps its pace) and reconnects with capped backoff; every connection
/// and every title starts a new logical Ogg bitstream (headers with TITLE/ARTIST comments).
/// Owned by the engine's thread.
final class IcecastSink {
    let output: OutputSettings
    let format: AudioFormat
    let target: ShoutTarget
    private let logger: Logger
    private let emit: (EngineEvent) -> Void
    private let connectionChanged: (String, Bool) -> Void
    private var connection: ShoutConnection?
    private var encoder: VorbisEncoder?
    private var backoff = Backoff()
    private var nextAttempt: UInt64 = 0
    private var comments: [(String, String)] = [("ENCODER", "OnAir")]
    private var lastSerial: Int32 = 0

    init(output: OutputSettings, icecast: IcecastSettings, format: AudioFormat, logger: Logger,
         emit: @escaping (EngineEvent) -> Void, connectionChanged: @escaping (String, Bool) -> Void) {
        self.output = output
        self.format = format
        self.logger = logger
        self.emit = emit
        self.connectionChanged = connectionChanged
        var info = ["samplerate": "\(format.sampleRate)", "channels": "\(format.channels)"]
        if let bitrate = output.bitrate { info["bitrate"] = "\(bitrate)" }
        if let quality = output.quality { info["quality"] = String(format: "%.1f", quality * 10) }
        target = ShoutTarget(host: icecast.host, port: icecast.port, user: icecast.user, password: icecast.password,
                             mount: output.mount, format: .ogg, name: icecast.stationName,
                             streamDescription: icecast.stationDescription, url: icecast.stationURL, genre: "",
                             audioInfo: info)
    }

    /// "127.0.0.1:8000/radio.ogg" (no password).
    var label: String { target.description }
    var isConnected: Bool { connection != nil }

    /// The encoder's settings as libvorbis takes them.
    static func mode(for output: OutputSettings) -> VorbisEncoder.Mode {
        if let bitrate = output.bitrate { return .bitrate(bitrate) }
        return .quality(min(1, max(-0.1, output.quality ?? 0.4)))
    }

    /// Checks that libvorbis accepts this output's format and quality (so a bad one fails at start).
    static func validate(_ output: OutputSettings, format: AudioFormat) throws {
        guard output.format == "vorbis" else {
            throw StreamEngineError("output \(output.mount): format '\(output.format)' is not supported yet (use vorbis)")
        }
        do {
            _ = try VorbisEncoder(sampleRate: format.sampleRate, channels: format.channels, mode: mode(for: output),
                                  comments: [], serial: 1)
        } catch {
            let layout = format.channels == 1 ? "mono" : format.channels == 2 ? "stereo" : "\(format.channels) channels"
            throw StreamEngineError("output \(output.mount): libvorbis cannot encode \(format.sampleRate) Hz \(layout) "
                                    + "with these settings (\(error)); try another quality or bitrate")
        }
    }

    /// Encodes and sends a block; connects first when it is time to try.
    func write(_ samples: [Float], now: UInt64) {
        if connection == nil {
            guard now >= nextAttempt else { return }
            connect(now: now)
        }
        guard let encoder, !samples.isEmpty else { return }
        send(encoder.encode(interleaved: samples), now: now)
    }

    /// Ends the logical bitstream and starts a new one whose comments carry `title`.
    func setTitle(_ title: TrackTitle, now: UInt64) {
        comments = title.vorbisComments
        guard connection != nil, let old = encoder else { return }
        var bytes = old.finish()
        do {
            let fresh = try makeEncoder()
            encoder = fresh
            bytes += fresh.headerPages
        } catch {
            logger.error("cannot start a new Vorbis stream", metadata: ["output.mount": "\(output.mount)", "error": "\(error)"])
            encoder = nil
        }
        send(bytes, now: now)
    }

    /// Ends the stream cleanly (end-of-stream page) and disconnects.
    func close() {
        if let connection, let encoder {
            try? connection.send(encoder.finish())
        }
        let wasConnected = connection != nil
        connection?.close()
        connection = nil
        encoder = nil
        if wasConnected { connectionChanged(output.mount, false) }
    }

    private func connect(now: UInt64) {
        do {
            let fresh = try ShoutConnection(target: target)
            try fresh.open()
            let newEncoder = try makeEncoder()
            try fresh.send(newEncoder.headerPages)
            connection = fresh
            encoder = newEncoder
            backoff.reset()
            logger.debug("connected to Icecast", metadata: ["output.target": "\(label)"])
            connectionChanged(output.mount, true)
            emit(.outputConnected(mount: output.mount))
        } catch {
            let delay = backoff.next()
            nextAttempt = now + UInt64(delay * 1e9)
            fail("connecting to \(label): \(Self.explain(error)); retrying in \(Int(delay)) s")
        }
    }

    private func send(_ bytes: [UInt8], now: UInt64) {
        guard let connection, !bytes.isEmpty else { return }
        do {
            try connection.send(bytes)
        } catch {
            self.connection = nil
            encoder = nil
            connection.close()
            connectionChanged(output.mount, false)
            let delay = backoff.next()
            nextAttempt = now + UInt64(delay * 1e9)
            fail("sending to \(label): \(Self.explain(error)); reconnecting in \(Int(delay)) s")
        }
    }

    private func fail(_ reason: String) {
        logger.warning("Icecast output is disconnected", metadata: ["output.mount": "\(output.mount)", "reason": "\(reason)"])
        emit(.outputDisconnected(mount: output.mount, reason: reason))
    }

    private func makeEncoder() throws -> VorbisEncoder {
        var serial = Int32.random(in: 1...Int32.max)
        if serial == lastSerial { serial = serial == Int32.max ? 1 : serial + 1 }
        lastSerial = serial
        return try VorbisEncoder(sampleRate: format.sampleRate, channels: format.channels,
                                 mode: Self.mode(for: output), comments: comments, serial: serial)
    }

    static func explain(_ error: Error) -> String {
        if let shout = error as? ShoutError, shout.isLoginRefused {
            return "Icecast refused the source login (wrong user or password, or the mount is in use): \(shout)"
        }
        return "\(error)"
    }
}
