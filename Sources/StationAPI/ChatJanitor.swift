import Foundation
import Logging
import ServiceLifecycle

/// Keeps the chat history to `chat.keep_days`: at start and then every hour, older messages
/// (deleted ones too, with their text and client address) and their events leave the database.
struct ChatJanitor: Service {
    var database: Database
    var keepDays: Int
    var logger: Logger
    var interval: Duration = .seconds(3600)

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await pruneOnce()
                try await Task.sleep(for: interval)
            }
        }
    }

    func pruneOnce(now: Date = Date()) async {
        do {
            let removed = try await database.pruneChat(before: now.addingTimeInterval(-Double(keepDays) * 86_400), now: now)
            if removed > 0 { logger.info("old chat messages removed", metadata: ["chat.removed": "\(removed)", "chat.keep_days": "\(keepDays)"]) }
        } catch {
            logger.warning("could not prune the chat history; retrying in an hour", metadata: ["error": "\(error)"])
        }
    }
}
