import Foundation
import Logging
import Mpg123
import Opus
import StationKit
import Vorbis

/// Listens for a DJ on the live mount, on a thread of its own: about once a second it opens the
/// mount as a listener on Icecast (a hidden mount is not in the public status, and a 404 means
/// no DJ); once a source is there it decodes the stream (Ogg Vorbis, Ogg Opus, MP3 with ICY
/// titles), converts it to the engine's format once and fills the `LiveFeed`. Never blocks the
/// audio thread; every wait is bounded; a problem is logged once, not every second.
/// `@unchecked Sendable`: the thread's state is its own; `stopping` is guarded by `lock`.
final class LiveReceiver: @unchecked Sendable {
    /// What the stream is, from its Content-Type and first Ogg packet.
    enum Codec: Equatable {
        case vorbis, opus, mp3
        case unsupported(String)
    }

    /// The most a DJ stream may send without audio coming out of the decoder (its headers, a new
    /// title's headers, garbage): more is dropped, and the programme stays on.
    static let maxBytesWithoutAudio = 2 << 20

    let feed: LiveFeed
    private let settings: LiveSettings
    private let host: String
    private let port: Int
    private let format: AudioFormat
    private let logger: Logger
    private let lock = NSLock()
    private let finished = DispatchSemaphore(value: 0)
    private var stopping = false
    private var started = false
    /// The last problem logged, so the next identical one stays quiet.
    private var lastProblem: String?
    /// The DJ last announced as connected (cleared when the mount is empty), likewise.
    private var lastConnected: String?

    init(settings: LiveSettings, host: String, port: Int, format: AudioFormat, logger: Logger) {
        self.settings = settings
        self.host = host
        self.port = port
        self.format = format
        self.logger = logger
        feed = LiveFeed(channels: format.channels, capacity: format.sampleRate * format.channels * 10)
    }

    func start() {
        guard
            lock.withLock({ () -> Bool in
                defer { started = true }; return !started
            })
        else { return }
        let thread = Thread { [self] in
            Thread.current.name = "onaird-live"
            run()
            finished.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Ends the thread within about half a second.
    func stop() {
        let wasStarted = lock.withLock { () -> Bool in
            stopping = true; return started
        }
        if wasStarted, finished.wait(timeout: .now() + 3) == .timedOut {
            logger.warning("the live receiver did not stop in time")
        }
    }

    private var shouldStop: Bool { lock.withLock { stopping } }

    private func run() {
        while !shouldStop {
            let began = Date()
            session()
            // About once a second, whatever happened (never a tight loop).
            let pause = max(0.05, 1 - Date().timeIntervalSince(began))
            for _ in 0..<Int(pause / 0.05) where !shouldStop { usleep(50_000) }
        }
    }

    /// One probe of the mount and, when a DJ is there, their whole session.
    private func session() {
        feed.clearDisconnect()
        let connection: LiveConnection
        do {
            connection = try LiveConnection(host: host, port: port, mount: settings.mount, timeout: 2) { [self] in
                shouldStop || feed.shouldDisconnect
            }
        } catch {
            switch error {
            case .noSource:
                lastProblem = nil
                lastConnected = nil
                feed.clear()
            case .stopped: break
            case .failed(let reason): report("cannot listen to the live mount; retrying every second", reason)
            }
            return
        }
        defer { connection.disconnect() }
        let streamer = TrackTitle.clean(connection.headers["icy-name"] ?? connection.headers["ice-name"])
            .map { String($0.prefix(100)) }
        if let until = feed.held(streamer) {
            refuseHeld(streamer, until: until, connection: connection)
            return
        }
        feed.begin(streamer: streamer)
        var failure: String?
        // The first bytes, read to tell the codec, are then read again by the decoder.
        final class Prefix {
            var bytes: [UInt8] = []
            /// Bytes read since the decoder last gave audio: a decoder holds a whole header packet
            /// (Vorbis comments, OpusTags) in memory, so a DJ stream that sends more than
            /// `maxBytesWithoutAudio` without audio is dropped.
            var sinceAudio = 0
        }
        let prefix = Prefix()
        let receive: (UnsafeMutableRawBufferPointer) -> Int = { [self] buffer in
            if feed.shouldDisconnect { failure = failure ?? "dropped by onaird"; return -1 }
            do {
                // A second more than the switch waits: on air, the switch names the stall itself.
                return try connection.read(into: buffer, stallAfter: settings.stallAfter + 1) { block in
                    if let text = ICYMetadata.streamTitle(block), TrackTitle.clean(text) != nil {
                        feed.title(TrackTitle.parse(String(text.prefix(TrackTitle.maximumLength))))
                    }
                }
            } catch {
                failure = failure ?? (feed.shouldDisconnect ? "dropped by onaird" : Self.reason(error))
                return -1
            }
        }
        let read: (UnsafeMutableRawBufferPointer) -> Int = { buffer in
            guard prefix.sinceAudio <= Self.maxBytesWithoutAudio else {
                failure = failure ?? "more than \(Self.maxBytesWithoutAudio >> 20) MB without audio (a header that large is refused)"
                return -1
            }
            guard !prefix.bytes.isEmpty else {
                let count = receive(buffer)
                prefix.sinceAudio += max(0, count)
                return count
            }
            let count = min(buffer.count, prefix.bytes.count)
            prefix.bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            prefix.bytes.removeFirst(count)
            return count
        }
        let codec = Self.codec(contentType: connection.headers["content-type"] ?? "", sniffed: &prefix.bytes, read: receive)
        if let failure {
            feed.end(failure)
            return
        }
        let mount = settings.mount
        switch codec {
        case .unsupported(let what):
            report("the DJ's stream cannot be decoded (onaird takes Ogg Vorbis, Ogg Opus or MP3); the programme stays on air", what)
            feed.end("undecodable: \(what)")
            // Wait for the mount to go away or change rather than re-reading it every second.
            return
        default:
            lastProblem = nil
        }
        if lastConnected != "\(streamer ?? "") \(codec)" {
            lastConnected = "\(streamer ?? "") \(codec)"
            logger.info(
                "DJ connected to the live mount",
                metadata: ["live.mount": "\(mount)", "live.streamer": "\(streamer ?? "unnamed")", "live.codec": "\(codec)"])
        }
        let converter = FormatConverter(target: format)
        let threshold = Float(pow(10, settings.silenceThreshold / 20))
        do {
            try decode(codec, read: read) { samples, sourceFormat in
                guard !samples.isEmpty else { return }
                prefix.sinceAudio = 0
                let converted = try converter.convert(samples, from: sourceFormat)
                let loud = samples.contains { abs($0) > threshold }
                feed.append(converted, loud: loud)
            }
            feed.end(failure ?? "the stream ended")
        } catch {
            feed.end(failure ?? "undecodable data (\(error))")
        }
        if let ended = feed.current?.ended {
            logger.info("DJ's connection closed", metadata: ["live.mount": "\(mount)", "live.reason": "\(ended)"])
        }
    }

    /// Runs the decoder for `codec` until the stream ends; `deliver` gets blocks in their own format.
    private func decode(
        _ codec: Codec, read: @escaping (UnsafeMutableRawBufferPointer) -> Int,
        deliver: ([Float], AudioFormat) throws -> Void
    ) throws {
        switch codec {
        case .vorbis:
            let stream = try VorbisStream(read: read)
            while !shouldStop, let block = try stream.read(maxFrames: 4096) {
                if block.newLink, let link = stream.link { announce(artist: link.comment("ARTIST"), title: link.comment("TITLE")) }
                try deliver(block.samples, AudioFormat(sampleRate: block.sampleRate, channels: block.channels))
            }
        case .opus:
            let stream = try OpusStream(read: read)
            while !shouldStop, let block = try stream.read(maxFrames: 4096) {
                if block.newLink { announce(artist: stream.comment("ARTIST"), title: stream.comment("TITLE")) }
                try deliver(block.samples, AudioFormat(sampleRate: OpusStream.sampleRate, channels: OpusStream.channels))
            }
        case .mp3:
            let stream = try MP3Stream()
            var buffer = [UInt8](repeating: 0, count: 16 << 10)
            while !shouldStop {
                let count = buffer.withUnsafeMutableBytes { read($0) }
                guard count > 0 else { return }
                let samples = try buffer.withUnsafeBytes { try stream.decode(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                try deliver(samples, AudioFormat(sampleRate: stream.sampleRate, channels: stream.channels))
            }
        case .unsupported: return
        }
    }

    /// A chained stream's comments. Without an ARTIST, TITLE may be a whole "Artist - Title" (what
    /// BUTT sends through Icecast's metadata update).
    private func announce(artist: String?, title: String?) {
        let artist = artist.map { String($0.prefix(TrackTitle.maximumLength)) }
        let title = title.map { String($0.prefix(TrackTitle.maximumLength)) }
        let parsed = artist == nil ? TrackTitle.parse(title ?? "") : TrackTitle(artist: artist, title: title)
        guard !parsed.text.isEmpty else { return }
        feed.title(parsed)
    }

    /// A DJ taken off the air came back during the hold: not aired; with Icecast's admin login
    /// their connection is ended again, without it they stay connected, unheard, until they reconnect after the hold.
    private func refuseHeld(_ streamer: String?, until: String, connection: LiveConnection) {
        connection.disconnect()
        let who = "'\(streamer ?? "unnamed")', held until \(until)"
        guard let admin = settings.admin else {
            report("a DJ taken off the air is connected again; not aired until the hold ends", who)
            return
        }
        switch admin.endSource(mount: settings.mount) {
        case .ended, .noSource:
            lastProblem = nil
            logger.notice(
                "a DJ taken off the air reconnected during the hold; their connection was ended",
                metadata: ["live.mount": "\(settings.mount)", "live.streamer": "\(streamer ?? "unnamed")", "live.held_until": "\(until)"])
        case .failed(let reason):
            report(
                "a DJ taken off the air is connected again; not aired until the hold ends, but their connection could not be ended",
                "\(who): \(reason)")
        }
    }

    private func report(_ message: Logger.Message, _ reason: String) {
        guard lastProblem != "\(message) \(reason)" else { return }
        lastProblem = "\(message) \(reason)"
        logger.error(message, metadata: ["live.mount": "\(settings.mount)", "live.error": "\(reason)"])
    }

    static func reason(_ error: Error) -> String {
        switch error as? LiveConnection.Failure {
        case .failed(let reason): reason
        case .noSource: "the DJ left"
        case .stopped: "onaird is stopping"
        case nil: "\(error)"
        }
    }
}
