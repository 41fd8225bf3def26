import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Fetches `/status-json.xsl` from the Icecast server.
public final class IcecastStatusPoller: Sendable {
    /// One poll's outcome.
    public enum Outcome: Sendable, Equatable {
        case stats(IcecastStats)
        /// Icecast did not answer (down, restarting, refused).
        case unreachable(reason: String)
        /// It answered something unreadable: "unknown, retry", keep the last state.
        case malformed(reason: String)
    }

    public let server: String
    public let statusURL: URL
    public let timeout: Double
    private let session: URLSession

    /// `server` is `http://host:port`.
    public init(server: String, timeout: Double = 3) {
        self.server = server
        // The server URL was validated by the config loader; fall back to a URL that fails cleanly.
        self.statusURL = URL(string: server + "/status-json.xsl") ?? URL(fileURLWithPath: "/nonexistent")
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.httpMaximumConnectionsPerHost = 1
        session = URLSession(configuration: configuration)
    }

    deinit { session.invalidateAndCancel() }

    public func poll() async -> Outcome {
        var request = URLRequest(url: statusURL, cachePolicy: .reloadIgnoringLocalAndRemoteCacheData, timeoutInterval: timeout)
        request.setValue("onaird", forHTTPHeaderField: "User-Agent")
        let data: Data, response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            return .unreachable(reason: explain(error))
        }
        if let http = response as? HTTPURLResponse, http.statusCode != 200 {
            return .malformed(reason: "HTTP \(http.statusCode)")
        }
        do {
            return .stats(try IcecastStats.parse(data))
        } catch {
            return .malformed(reason: error.reason)
        }
    }

    /// A short reason: `connection refused`, `timed out after 3 s`.
    func explain(_ error: any Error) -> String {
        guard let error = error as? URLError else { return "\(error)" }
        switch error.code {
        case .timedOut: return "no answer within \(Int(timeout)) s"
        case .cannotConnectToHost: return "connection refused"
        case .cannotFindHost: return "unknown host \(statusURL.host ?? "")"
        case .networkConnectionLost: return "connection lost"
        default: return "URL error \(error.code.rawValue)"
        }
    }
}
