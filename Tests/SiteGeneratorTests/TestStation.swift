import Foundation
import StationKit

@testable import SiteGenerator

/// A copy of the example station (Content/ + Templates/) in a temporary folder of its own.
struct TestStation {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    let root: URL
    var content: URL { root.appendingPathComponent("Content") }
    var templates: URL { root.appendingPathComponent("Templates") }
    var site: URL { root.appendingPathComponent("site") }

    /// A fixed "now": Wednesday 2026-11-25, 10:00 UTC.
    static let clock = Date(timeIntervalSince1970: 1_795_600_800)

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("onair-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for folder in ["Content", "Templates"] {
            try FileManager.default.copyItem(at: Self.repository.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        try? FileManager.default.removeItem(at: content.appendingPathComponent("music"))
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    func options(write: Bool = true, now: Date? = nil, output: URL? = nil) -> BuildOptions {
        BuildOptions(
            contentURL: content, contentPath: "Content", templatesURL: templates, templatesPath: "Templates",
            outputURL: output ?? site, now: now, clock: Self.clock, write: write)
    }

    @discardableResult
    func build(write: Bool = true, now: Date? = nil, output: URL? = nil) throws(ContentErrors) -> SiteBuilder.Summary {
        try SiteBuilder(options: options(write: write, now: now, output: output)).run()
    }

    /// The error lines a failed build prints.
    func errors(write: Bool = true) -> [String] {
        do {
            try build(write: write)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    func write(_ relative: String, _ text: String, in folder: URL? = nil) throws {
        let url = (folder ?? root).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ relative: String, in folder: URL? = nil) throws -> String {
        try String(contentsOf: (folder ?? root).appendingPathComponent(relative), encoding: .utf8)
    }

    /// Replaces the first occurrence of `old` in a file under the station root.
    func edit(_ relative: String, replacing old: String, with new: String) throws {
        let text = try read(relative)
        guard let range = text.range(of: old) else { throw TestStationError.notFound(old, relative) }
        try write(relative, text.replacingCharacters(in: range, with: new))
    }

    enum TestStationError: Error { case notFound(String, String) }

    /// Every file under a folder: relative path -> (bytes, mtime).
    func snapshot(_ folder: URL) throws -> [String: (Data, Date)] {
        var result: [String: (Data, Date)] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [:] }
        while let path = enumerator.nextObject() as? String {
            let url = folder.appendingPathComponent(path)
            let values = try url.resourceValues(forKeys: [.isRegularFileKey, .contentModificationDateKey])
            if values.isRegularFile == true { result[path] = (try Data(contentsOf: url), values.contentModificationDate ?? .distantPast) }
        }
        return result
    }
}
