import Foundation
import Logging

/// Source -> (resample) -> encoders -> Icecast, on one dedicated thread paced by the right clock.
///
/// INTERFACE STUB laid down by the lead so the daemon's control plane can build against it; the
/// audio-pipeline work replaces the body (keep the public API, extend it if needed).
public final class StreamEngine: @unchecked Sendable {
    private let settings: EngineSettings
    private let logger: Logger
    private let onEvent: @Sendable (EngineEvent) -> Void

    public init(settings: EngineSettings, logger: Logger, onEvent: @escaping @Sendable (EngineEvent) -> Void) {
        self.settings = settings
        self.logger = logger
        self.onEvent = onEvent
    }

    /// Starts the audio thread. Throws for what cannot be retried (missing ALSA device).
    public func start() throws {}

    /// Stops the audio thread, closes the Icecast connections, returns when done.
    public func stop() {}

    /// Sets the title on air now (a DJ's `onair now`), in the stream and via `.titleChanged`.
    public func setTitle(_ text: String) {}

    /// Ends the current track (playlist) and starts the next.
    public func skip() {}

    /// SIGHUP: re-read the playlist (and accept new settings for the source where possible).
    public func reload(settings: EngineSettings) {}

    public var status: EngineStatus {
        EngineStatus(source: "\(settings.source)", title: nil, connectedMounts: [], startedAt: nil)
    }
}
