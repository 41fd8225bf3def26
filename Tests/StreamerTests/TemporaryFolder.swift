import Foundation

/// A fresh folder per test, removed when the value goes away. Short paths keep unix sockets legal.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = URL(fileURLWithPath: "/tmp/onaird-test-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = self.path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
