/// File names inside the built site that both programs know.
public enum SiteFiles {
    /// Written only by `onaird`; `onair build` never deletes, blanks or rewinds it.
    public static let nowPlaying = "nowplaying.json"
    /// Written by `onair build`; `onaird` reads the current and next show from it.
    public static let schedule = "schedule.json"
}
