import Foundation
import Hummingbird
import Logging

/// Builds and runs `onair-api`: the routes of DESIGN.md "Interactive service" over one database,
/// the event hub and the now-playing watcher, in one `ServiceGroup` (SIGTERM stops it cleanly).
public enum APIServer {
    /// Largest request body accepted.
    public static let maxBody = 16 * 1024

    /// Opens the database in `config.dataDir` and serves until SIGTERM/SIGINT.
    public static func run(config: APIConfig, logger: Logger) async throws {
        let database = try await Database.open(dataDir: config.dataDir, logger: logger)
        let app = makeApplication(config: config, database: database, logger: logger)
        logger.info("onair-api listening", metadata: ["http.address": "\(config.host):\(config.port)", "db.path": "\(database.path)"])
        do {
            try await app.runService()
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    static func makeApplication(
        config: APIConfig, database: Database, logger: Logger,
        bcryptCost: UInt8 = 12
    ) -> some ApplicationProtocol {
        let hub = EventHub(logger: logger)
        let service = APIService(config: config, database: database, hub: hub, logger: logger, bcryptCost: bcryptCost)
        return makeApplication(service: service)
    }

    /// The application around an existing service (tests look at its limiters).
    static func makeApplication(service: APIService) -> some ApplicationProtocol {
        let (config, database, hub, logger) = (service.config, service.database, service.hub, service.logger)
        let watcher = NowPlayingWatcher(path: config.nowPlayingPath, hub: hub, logger: logger)
        let janitor = ChatJanitor(database: database, keepDays: config.chatKeepDays, logger: logger)
        return Application(
            router: router(service), configuration: .init(address: .hostname(config.host, port: config.port)),
            services: [hub, watcher, janitor], logger: logger)
    }

    static func router(_ s: APIService) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        let api = router.group("api")
        api.get("me", use: s.me)
        api.post("session", use: s.signIn)
        api.delete("session", use: s.signOut)
        api.get("events", use: s.events)
        api.get("chat", use: s.listChat)
        api.post("chat", use: s.postChat)
        api.post("chat/mute", use: s.muteChat)
        api.post("chat/slow", use: s.slowMode)
        api.delete("chat/:id", use: s.deleteChat)
        api.get("studio", use: s.studio)
        api.post("studio/title", use: s.setTitle)
        api.post("studio/skip", use: s.skip)
        api.post("studio/end-live", use: s.endLive)
        api.get("audit", use: s.auditLog)
        api.post("icecast/stream-auth", use: s.streamAuth)
        api.get("users", use: s.listUsers)
        api.post("users", use: s.addUser)
        api.delete("users/:name", use: s.removeUser)
        api.post("users/:name/password", use: s.setPassword)
        return router
    }
}
