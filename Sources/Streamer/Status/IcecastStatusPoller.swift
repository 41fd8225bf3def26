import Foundation

/// Fetches `/status-json.xsl` from the Icecast server (a plain HTTP GET on a thread of its own; see
/// `HTTPGet` for why not URLSession).
final class IcecastStatusPoller: Sendable {
    /// One poll's outcome.
    enum Outcome: Sendable, Equatable {
        case stats(IcecastStats)
        /// Icecast did not answer (down, restarting, refused).
        case unreachable(reason: String)
        /// It answered something unreadable: "unknown, retry", keep the last state.
        case malformed(reason: String)
    }

    let server: String
    let statusURL: URL
    let timeout: Double
    private let request: HTTPGet?

    /// `server` is `http://host:port`.
    init(server: String, timeout: Double = 3) {
        self.server = server
        // The server URL was validated by the config loader; fall back to a URL that fails cleanly.
        self.statusURL = URL(string: server + "/status-json.xsl") ?? URL(fileURLWithPath: "/nonexistent")
        self.timeout = timeout
        request = HTTPGet(server: server, path: "/status-json.xsl", timeout: timeout)
    }

    func poll() async -> Outcome {
        guard let request else { return .unreachable(reason: "\(server) is not an http:// server address") }
        switch await request.fetch() {
        case .failure(let failure):
            return .unreachable(reason: failure.reason)
        case .success(let response) where response.status != 200:
            return .malformed(reason: "HTTP \(response.status)")
        case .success(let response):
            do {
                return .stats(try IcecastStats.parse(response.body))
            } catch {
                return .malformed(reason: error.reason)
            }
        }
    }
}
