import Foundation
import Logging

/// What the daemon needs of the audio engine: start and stop it, hand it commands, read its state.
/// `StreamEngine` is the real one (the audio thread, encoders, Icecast); the daemon's unit tests
/// drive the daemon with an engine that records the commands instead.
protocol AudioEngine: AnyObject, Sendable {
    /// Starts the audio; throws for what cannot be retried (a missing device, an impossible output).
    func start() throws
    func stop()
    /// The title on air now, in the stream and on the page.
    func setTitle(_ text: String)
    /// Ends the current track.
    func skip()
    /// Takes the live DJ off the air (`reason` goes to the log, `onair status` and the studio).
    func endLive(reason: String)
    /// New settings after SIGHUP (the source may change; outputs take effect at a restart).
    func reload(settings: EngineSettings)
    var status: EngineStatus { get }
}

extension StreamEngine: AudioEngine {}

/// Makes the daemon's engine from its settings; events come back through the closure.
typealias AudioEngineFactory = @Sendable (EngineSettings, Logger, @escaping @Sendable (EngineEvent) -> Void) -> any AudioEngine
