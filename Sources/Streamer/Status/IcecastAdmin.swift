import Foundation

/// Icecast's admin interface, for the one thing onaird asks of it: ending a source's connection
/// (`/admin/killsource?mount=/dj`, basic auth with `<admin-user>`/`<admin-password>`), which is how
/// an admin's "take the DJ off air" ends the DJ's connection and not only their airtime.
/// Blocking (one `HTTPGet`); call it from a thread that may wait `timeout` seconds.
struct IcecastAdmin: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    var host: String
    var port: Int
    var user: String
    /// Where the password came from (a file path or `$ONAIR_ADMIN_PASSWORD`), for messages.
    var passwordSource: String
    /// Kept out of every description, log line and error.
    var password: String
    var timeout: Double = 3

    var description: String { "Icecast admin \(user)@\(host):\(port) (password from \(passwordSource))" }
    var debugDescription: String { description }

    enum Outcome: Sendable, Equatable {
        /// Icecast dropped the source.
        case ended
        /// No source was on the mount (it had gone already).
        case noSource
        /// A reason for the log and the admin: `HTTP 401 (check icecast.admin_password_file)`.
        case failed(String)
    }

    /// The request that ends the source on `mount` (mount percent-encoded; credentials in a header).
    func killRequest(mount: String) -> HTTPGet {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#")
        let query = mount.addingPercentEncoding(withAllowedCharacters: allowed) ?? mount
        var request = HTTPGet(host: host, port: UInt16(clamping: port), path: "/admin/killsource?mount=\(query)", timeout: timeout)
        request.authorization = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        request.maximumBytes = 64 << 10
        return request
    }

    /// Ends the source on `mount`.
    func endSource(mount: String) -> Outcome {
        Self.outcome(of: killRequest(mount: mount).run(), passwordSource: passwordSource)
    }

    /// Icecast 2.4 answers 200 with `<return>1</return>` when it removed the source, and 400
    /// ("Source does not exist") when there was none.
    static func outcome(of result: Result<HTTPGet.Response, HTTPGet.Failure>, passwordSource: String) -> Outcome {
        switch result {
        case .failure(let failure):
            return .failed("Icecast did not answer (\(failure.reason))")
        case .success(let response):
            let body = String(decoding: response.body.prefix(4096), as: UTF8.self)
            if response.status == 200, body.contains("<return>1</return>") { return .ended }
            if [200, 400].contains(response.status), body.localizedCaseInsensitiveContains("does not exist") { return .noSource }
            if [401, 403].contains(response.status) {
                return .failed(
                    "Icecast refused the admin login (HTTP \(response.status)): check the admin user and the password in \(passwordSource)")
            }
            return .failed("Icecast answered HTTP \(response.status)")
        }
    }
}
