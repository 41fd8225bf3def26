import Foundation
import StationKit
import Testing

@Suite struct TrackTitleTests {
    @Test(arguments: [
        ("03_night-drive.ogg", "night drive"),
        ("/music/03_night-drive.ogg", "night drive"),
        ("01 - Artist - Song.wav", "Artist - Song"),
        ("12. Blue in Green.ogg", "Blue in Green"),
        ("Artist - Title.ogg", "Artist - Title"),
        ("track__with___spaces.ogg", "track with spaces"),
        ("2049.ogg", "2049"),
        ("1999 Party.ogg", "1999 Party"),  // four digits: a year, not a track number
    ])
    func fileNamesBecomeTitles(path: String, expected: String) {
        #expect(TrackTitle.fileNameTitle(path) == expected)
    }

    @Test func djTextSplitsAtTheFirstDash() {
        let title = TrackTitle.parse("  The Band - Song - Live ")
        #expect(title.artist == "The Band")
        #expect(title.title == "Song - Live")
        #expect(title.text == "The Band - Song - Live")
        #expect(TrackTitle.parse("Just a title").artist == nil)
        #expect(TrackTitle.parse("Just a title").text == "Just a title")
    }

    @Test func tagsWinOverTheFileName() {
        #expect(TrackTitle.fromTags(artist: "A", title: "T", path: "x/01_other.ogg").text == "A - T")
        #expect(TrackTitle.fromTags(artist: "A", title: " ", path: "x/01_other-name.ogg").text == "other name")
        #expect(TrackTitle.fromTags(artist: nil, title: "Only", path: "x.ogg").text == "Only")
    }

    @Test func commentsForTheStream() {
        let comments = TrackTitle.parse("A - T").vorbisComments.map { "\($0.0)=\($0.1)" }
        #expect(comments == ["TITLE=T", "ARTIST=A", "ENCODER=OnAir"])
    }

    @Test func everyPathCleansTheSameWay() {
        // Line and paragraph separators, NEL, bidi overrides and controls: a title is one plain line.
        let dirty = "Artist\u{2028}Name - Ti\u{202E}tle\u{2029}\u{0085}Two\u{0007}  end"
        let title = TrackTitle.parse(dirty)
        #expect(title.artist == "Artist Name")
        #expect(title.title == "Ti tle Two end")
        #expect(!title.text.unicodeScalars.contains { $0.value == 0x2028 || $0.value == 0x202E || $0.value < 0x20 })
        // The document's parser is the same one: the page, the stream and the studio agree.
        let track = NowPlayingDocument.Track.parse(dirty, startedAt: nil)
        #expect(track.artist == title.artist && track.title == title.title && track.text == title.text)
        #expect(TrackTitle(artist: "A\nB", title: "\u{2066}T\u{2069}").text == "A B - T")
        #expect(TrackTitle.clean(" \u{200B}\u{2028} ") == nil)
    }

    @Test func oneLimitForEveryone() {
        let long = String(repeating: "x", count: TrackTitle.maximumLength + 20)
        #expect(TrackTitle.parse(long).text.count == TrackTitle.maximumLength)
        #expect(TrackTitle.problem(with: long) == "that title is 520 characters long; 500 at most")
        #expect(TrackTitle.problem(with: " \u{2028} ") == "give the title, e.g. \"Artist - Title\"")
        #expect(TrackTitle.problem(with: "Artist - Title") == nil)
    }
}
