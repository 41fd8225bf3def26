import Foundation
import StationKit
import Testing

@testable import Streamer

@Suite struct AtomicFileWriterTests {
    @Test func replacesTheFileAndLeavesNoTemporaries() throws {
        let folder = try TemporaryFolder()
        let target = folder.url.appendingPathComponent("nowplaying.json")
        try AtomicFileWriter.write(Data("one".utf8), to: target)
        try AtomicFileWriter.write(Data("two".utf8), to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["nowplaying.json"])
        let mode = try FileManager.default.attributesOfItem(atPath: target.path)[.posixPermissions] as? Int
        #expect(mode == 0o644)
    }

    /// `onair publish` makes site/nowplaying.json a link to a file outside the swapped site: the
    /// file it points to is replaced, the link stays.
    @Test func writesThroughALinkAndKeepsIt() throws {
        let folder = try TemporaryFolder()
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: folder.url.appendingPathComponent("releases/r1"), withIntermediateDirectories: true)
        try fileManager.createDirectory(at: folder.url.appendingPathComponent("live"), withIntermediateDirectories: true)
        try fileManager.createSymbolicLink(atPath: folder.url.appendingPathComponent("site").path, withDestinationPath: "releases/r1")
        let link = folder.url.appendingPathComponent("site/nowplaying.json")
        try fileManager.createSymbolicLink(atPath: link.path, withDestinationPath: "../../live/nowplaying.json")
        try AtomicFileWriter.write(Data("one".utf8), to: link)
        try AtomicFileWriter.write(Data("two".utf8), to: link)
        #expect(try fileManager.destinationOfSymbolicLink(atPath: link.path) == "../../live/nowplaying.json")
        #expect(try String(contentsOf: folder.url.appendingPathComponent("live/nowplaying.json"), encoding: .utf8) == "two")
        #expect(try fileManager.contentsOfDirectory(atPath: folder.url.appendingPathComponent("live").path) == ["nowplaying.json"])
    }

    @Test func readersNeverSeeAPartialFile() throws {
        let folder = try TemporaryFolder()
        let target = folder.url.appendingPathComponent("nowplaying.json")
        let big = { (n: Int) in Data((String(repeating: "\(n % 10)", count: 200_000) + "\n").utf8) }
        try AtomicFileWriter.write(big(0), to: target)
        let done = Locked(false)
        let failures = Locked(0)
        let reader = Thread {
            var reads = 0
            while !done.withLock({ $0 }) || reads < 50 {
                if let data = FileManager.default.contents(atPath: target.path) {
                    // Whole and uniform: 200000 copies of one digit and a newline.
                    if data.count != 200_001 || Set(data.dropLast()).count != 1 { done.withLock { $0 = true }; failures.withLock { $0 += 1 }; return }
                }
                reads += 1
            }
        }
        reader.start()
        for n in 1...60 { try AtomicFileWriter.write(big(n), to: target) }
        done.withLock { $0 = true }
        while !reader.isFinished { usleep(1000) }
        #expect(failures.withLock { $0 } == 0)
    }

    @Test func unwritableFolderSaysWhy() throws {
        let error = try #require(throws: AtomicFileWriter.Failure.self) {
            try AtomicFileWriter.write(Data(), to: URL(fileURLWithPath: "/nonexistent/site/nowplaying.json"))
        }
        #expect(error.description == "cannot write /nonexistent/site/nowplaying.json: mkstemp failed: no such file or directory")
    }
}
