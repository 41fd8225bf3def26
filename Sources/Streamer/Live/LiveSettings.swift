/// `live:` in onaird.yaml: the hidden Icecast mount DJs send to, and when onaird gives up on them.
struct LiveSettings: Sendable, Hashable {
    /// The DJ mount (hidden in Icecast, its own source password).
    var mount = "/dj"
    /// Seconds without data before the DJ counts as gone.
    var stallAfter: Double = 5
    /// Seconds below `silenceThreshold` before onaird hands back to the programme.
    var silenceAfter: Double = 20
    /// dBFS (`silence.threshold`, -50 by default).
    var silenceThreshold: Double = -50
    /// Seconds of the crossfade between the programme and the DJ, both ways.
    var fade: Double = 1
    /// Seconds of the DJ's audio held back against network jitter (`buffer:`): Ogg pages can be a second long
    /// (ffmpeg's), and after an Ogg metadata update (BUTT's song) Icecast sends nothing until it
    /// has repaginated: with 1.5 s a title change left ~120 ms of silence, with 2 s none.
    var jitter: Double = 2
    /// Seconds a DJ taken off the air by an admin stays off (`end_hold`): a reconnect by the same
    /// account or stream name is refused meanwhile (BUTT reconnects by itself within seconds).
    var endHold: Double = 60
    /// Icecast's admin login (`icecast.admin_password_file`): with it, taking a DJ off the air ends
    /// their connection too, and a reconnect during the hold is ended at once.
    var admin: IcecastAdmin?
    init() {}
}
