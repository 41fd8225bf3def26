import Foundation
import StationKit
import Testing

@testable import SiteGenerator

/// `onair init` and the pieces of `onair publish` that need no second process.
@Suite struct StationScaffoldTests {
    @Test func aNewStationBuildsWithNoErrors() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("onair-init-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let scaffold = StationScaffold(
            name: "Radio \"Quoted\" Nord", timezone: "America/New_York",
            templates: TestStation.repository.appendingPathComponent("Templates"))
        try scaffold.create(in: root, displayPath: "radio")
        let options = BuildOptions(
            contentURL: root.appendingPathComponent("Content"), contentPath: "Content",
            templatesURL: root.appendingPathComponent("Templates"), templatesPath: "Templates",
            outputURL: root.appendingPathComponent("site"), now: nil, clock: TestStation.clock, write: true)
        let summary = try SiteBuilder(options: options).run()
        #expect(summary.files > 10)
        let page = try String(contentsOf: root.appendingPathComponent("site/index.html"), encoding: .utf8)
        #expect(page.contains("Radio &quot;Quoted&quot; Nord") || page.contains("Radio \"Quoted\" Nord"))
    }

    @Test func aScheduleWithoutWeekdaysIsStillAnError() throws {
        let station = try TestStation(); defer { station.remove() }
        try station.write("Content/schedule.md", "# Weekly schedule\n\nNothing here yet.\n")
        #expect(station.errors() == ["Content/schedule.md: error: no slots (add '## Monday' and a '| Time | Show |' table)"])
    }

    @Test(arguments: [
        ("radio.example:/srv/onair/site", "radio.example", "/srv/onair/site"),
        ("ed@radio.example:site", "ed@radio.example", "site"),
    ])
    func hostFolderIsSplitAtTheFirstColon(destination: String, host: String, path: String) throws {
        let split = try #require(RemotePublisher.split(destination))
        #expect(split.host == host && split.path == path)
    }

    @Test(arguments: ["/srv/onair/site", "./a:b", "site", ":site"])
    func localPathsAreNotHosts(destination: String) {
        #expect(RemotePublisher.split(destination) == nil)
    }

    @Test func theRemoteStepsStageBesideTheDestination() {
        let remote = RemotePublisher(
            site: URL(fileURLWithPath: "/tmp/site"), host: "ed@radio.example",
            path: "/srv/onair/site/", shell: "ssh -p 2222", remoteOnair: "onair")
        #expect(remote.commands[0].suffix(2) == ["/tmp/site/", "ed@radio.example:/srv/onair/.site.incoming/"])
        #expect(
            remote.commands[1] == [
                "ssh", "-p", "2222", "ed@radio.example",
                "'onair' 'publish' '--site' '/srv/onair/.site.incoming' '/srv/onair/site'",
            ])
        #expect(RemotePublisher.shellQuoted("it's") == "'it'\\''s'")
    }
}
