import Foundation
import StationKit
import Testing

@testable import Streamer

/// Album, label, ISRC and ReplayGain reach the playout log and the loudness step from every format,
/// written by the real tools listeners' files come from (lame, flac, opusenc, oggenc).
@Suite struct TrackTagsTests {
    static let expected = TrackTags(album: "Harbour Nights", label: "Elbe Records", isrc: "DEA123456789", replayGain: -3.5, replayPeak: 0.9)

    func tool(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(arguments.first ?? "") failed")
    }

    @Test func everyFormatGivesTheRoyaltyTags() throws {
        let folder = try TemporaryFolder()
        let wav = folder.path("a.wav")
        try Data(wavBytes(samples: (0..<44_100).map { Int16(sin(Double($0) / 10) * 8000) })).write(to: URL(fileURLWithPath: wav))
        let comments = [
            "ALBUM=Harbour Nights", "LABEL=Elbe Records", "ISRC=DEA123456789",
            "REPLAYGAIN_TRACK_GAIN=-3.50 dB", "REPLAYGAIN_TRACK_PEAK=0.900000",
        ]
        try tool(["flac", "-s", "-f", "-o", folder.path("a.flac")] + comments.flatMap { ["-T", $0] } + [wav])
        try tool(["oggenc", "-Q", "-o", folder.path("a.ogg")] + comments.flatMap { ["-c", $0] } + [wav])
        try tool(["opusenc", "--quiet"] + comments.flatMap { ["--comment", $0] } + [wav, folder.path("a.opus")])
        try tool([
            "lame", "--quiet", "--tl", "Harbour Nights", "--tv", "TPUB=Elbe Records", "--tv", "TSRC=DEA123456789",
            "--tv", "TXXX=REPLAYGAIN_TRACK_GAIN=-3.50 dB", "--tv", "TXXX=REPLAYGAIN_TRACK_PEAK=0.900000",
            wav, folder.path("a.mp3"),
        ])
        for name in ["a.flac", "a.ogg", "a.opus", "a.mp3"] {
            let decoder = try TrackDecoders.open(folder.path(name))
            #expect(decoder.tags == Self.expected, "\(name)")
        }
    }
}
