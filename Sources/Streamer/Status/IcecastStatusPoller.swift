import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Fetches `/status-json.xsl` from the Icecast server.
public struct IcecastStatusPoller: Sendable {
    /// One poll's outcome.
    public enum Outcome: Sendable, Equatable {
        case stats(IcecastStats)
        /// Icecast did not answer (down, restarting, refused).
        case unreachable(reason: String)
        /// It answered something unreadable: "unknown, retry", keep the last state.
        case malformed(reason: String)
    }

    public var statusURL: URL
    public var timeout: Double

    /// `server` is `http://host:port`.
    public init(server: String, timeout: Double = 3) {
        // The server URL was validated by the config loader; fall back to a URL that fails cleanly.
        self.statusURL = URL(string: server + "/status-json.xsl") ?? URL(fileURLWithPath: "/nonexistent")
        self.timeout = timeout
    }

    public func poll() async -> Outcome {
        var request = URLRequest(url: statusURL, cachePolicy: .reloadIgnoringLocalAndRemoteCacheData, timeoutInterval: timeout)
        request.setValue("onaird", forHTTPHeaderField: "User-Agent")
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let data: Data, response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            return .unreachable(reason: error.localizedDescription)
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
}
