/// The hook point for a DJ's live input during a `live: true` show (the live mount is another
/// piece of work). While `isConnected`, the schedule source takes its audio at the next track
/// boundary instead of the show's folder or the rotation.
protocol LiveInput: AnyObject {
    var isConnected: Bool { get }
    /// The next block of the DJ's audio; nil when they left.
    func nextChunk() -> AudioChunk?
}
