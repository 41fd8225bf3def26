import Foundation
import Logging
import ServiceLifecycle

/// Watches `site/nowplaying.json` (its modification time and size, every 250 ms) and publishes
/// each new version as a `nowplaying` event. onaird replaces the file atomically, so a read never
/// sees half a document; a file that is not JSON is skipped with a warning.
struct NowPlayingWatcher: Service {
    var path: String
    var hub: EventHub
    var logger: Logger
    var interval: Duration = .milliseconds(250)

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var lastSeen: (Date, Int)?
            while !Task.isCancelled {
                if let stamp = Self.stamp(path), stamp.0 != lastSeen?.0 || stamp.1 != lastSeen?.1 {
                    lastSeen = stamp
                    if let event = read() { await hub.publish(event) }
                }
                try await Task.sleep(for: interval)
            }
        }
    }

    static func stamp(_ path: String) -> (Date, Int)? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let modified = attributes[.modificationDate] as? Date
        else { return nil }
        return (modified, (attributes[.size] as? NSNumber)?.intValue ?? 0)
    }

    /// The file as one `nowplaying` event (its bytes, one `data:` line per line), or nil when it is not a JSON object.
    func read() -> ServerSentEvent? {
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data), object is [String: Any],
            let text = String(data: data, encoding: .utf8)
        else {
            logger.warning("nowplaying.json is not a JSON object; skipped", metadata: ["file.path": "\(path)"])
            return nil
        }
        return ServerSentEvent(event: "nowplaying", id: nil, data: text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
