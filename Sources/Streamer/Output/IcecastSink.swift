import Foundation
import Logging
import Shout
import StationKit

/// One output: an encoder (`StreamEncoder`: Vorbis, MP3 or Opus) and a libshout connection to one
/// mount. While Icecast is away it drops the audio (the source keeps its pace) and reconnects with
/// capped backoff, on its own: a failing output never holds up the others. Every connection starts
/// a new stream; titles go in-band for Ogg (a chained logical stream) and as ICY metadata for MP3.
/// Owned by the engine's thread.
final class IcecastSink {
    let output: OutputSettings
    /// The format this output encodes (Opus: 48 kHz; the engine converts once per rate).
    let format: AudioFormat
    let target: ShoutTarget
    private let logger: Logger
    private let emit: (EngineEvent) -> Void
    private let connectionChanged: (String, Bool) -> Void
    private var connection: ShoutConnection?
    private var encoder: StreamEncoder?
    private var backoff = Backoff()
    private var nextAttempt: UInt64 = 0
    private var title: TrackTitle?
    /// The recording takes this output's packets (`takePackets` after each `write`).
    var sharesPackets = false

    init(
        output: OutputSettings, icecast: IcecastSettings, station: AudioFormat, logger: Logger,
        emit: @escaping (EngineEvent) -> Void, connectionChanged: @escaping (String, Bool) -> Void
    ) {
        self.output = output
        self.format = AudioFormat(
            sampleRate: StreamEncoders.sampleRate(of: output, station: station),
            channels: station.channels)
        self.logger = logger
        self.emit = emit
        self.connectionChanged = connectionChanged
        var info = ["samplerate": "\(format.sampleRate)", "channels": "\(format.channels)"]
        if let bitrate = output.bitrate { info["bitrate"] = "\(bitrate)" }
        if output.format == .opus, output.bitrate == nil { info["bitrate"] = "\(StreamEncoders.opusDefaultBitrate)" }
        if output.format == .mp3, output.bitrate == nil, output.quality == nil {
            info["bitrate"] = "\(StreamEncoders.mp3DefaultBitrate)"
        }
        if let quality = output.quality {
            info["quality"] = output.format == .vorbis ? String(format: "%.1f", quality * 10) : "V\(Int(quality))"
        }
        target = ShoutTarget(
            host: icecast.host, port: icecast.port, user: icecast.user, password: icecast.password,
            mount: output.mount, format: output.format.isOgg ? .ogg : .mp3,
            name: icecast.stationName, streamDescription: icecast.stationDescription,
            url: icecast.stationURL, genre: "", audioInfo: info)
    }

    /// "127.0.0.1:8000/radio.ogg" (no password).
    var label: String { target.description }
    var isConnected: Bool { connection != nil }

    /// Checks that the encoder accepts this output's format and settings (so a bad one fails at start).
    static func validate(_ output: OutputSettings, format station: AudioFormat) throws {
        let format = AudioFormat(sampleRate: StreamEncoders.sampleRate(of: output, station: station), channels: station.channels)
        do {
            _ = try StreamEncoders.make(output, format: format, title: nil)
        } catch let error as StreamEngineError {
            throw error
        } catch {
            let layout = format.channels == 1 ? "mono" : format.channels == 2 ? "stereo" : "\(format.channels) channels"
            throw StreamEngineError(
                "output \(output.mount): \(output.format.library) cannot encode \(format.sampleRate) Hz \(layout) "
                    + "with these settings (\(error)); try another quality or bitrate")
        }
    }

    /// Encodes and sends a block (in `format`); connects first when it is time to try.
    func write(_ samples: [Float], now: UInt64) {
        if connection == nil {
            guard now >= nextAttempt else { return }
            connect(now: now)
        }
        guard let encoder, !samples.isEmpty else { return }
        do {
            send(try encoder.encode(samples), now: now)
        } catch {
            drop("encoding for \(label): \(error)", now: now)
        }
    }

    /// The packets the last writes encoded, for the recording; nil when this output encoded nothing
    /// (not sharing, or not connected: the recording then encodes the block itself).
    func takePackets() -> [EncodedPacket]? {
        guard sharesPackets, connection != nil else { return nil }
        return encoder?.takePackets()
    }

    /// Puts `title` on air: a chained Ogg stream, or ICY metadata for MP3.
    func setTitle(_ title: TrackTitle, now: UInt64) {
        self.title = title
        guard let connection, let encoder else { return }
        do {
            send(try encoder.changeTitle(title), now: now)
            if encoder.usesICYMetadata, self.connection != nil { try connection.setSongMetadata(title.text) }
        } catch {
            logger.warning("cannot send the new title", metadata: ["output.mount": "\(output.mount)", "error": "\(error)"])
        }
    }

    /// Ends the stream cleanly (end-of-stream) and disconnects.
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
            let newEncoder = try StreamEncoders.make(output, format: format, title: title, tapPackets: sharesPackets)
            try fresh.send(newEncoder.start())
            if newEncoder.usesICYMetadata, let title {
                do {
                    try fresh.setSongMetadata(title.text)
                } catch {
                    logger.warning("cannot send the title", metadata: ["output.mount": "\(output.mount)", "error": "\(error)"])
                }
            }
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
            drop("sending to \(label): \(Self.explain(error))", now: now)
        }
    }

    /// Disconnects after a failure and schedules the next attempt.
    private func drop(_ reason: String, now: UInt64) {
        connection?.close()
        connection = nil
        encoder = nil
        connectionChanged(output.mount, false)
        let delay = backoff.next()
        nextAttempt = now + UInt64(delay * 1e9)
        fail("\(reason); reconnecting in \(Int(delay)) s")
    }

    private func fail(_ reason: String) {
        logger.warning("Icecast output is disconnected", metadata: ["output.mount": "\(output.mount)", "reason": "\(reason)"])
        emit(.outputDisconnected(mount: output.mount, reason: reason))
    }

    static func explain(_ error: Error) -> String {
        if let shout = error as? ShoutError, shout.isLoginRefused {
            return "Icecast refused the source login (wrong user or password, or the mount is in use): \(shout)"
        }
        return "\(error)"
    }
}
