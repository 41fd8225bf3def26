import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import StationKit

extension APIService {
    /// Icecast's `auth_header` (its default): present in the answer = the source may stream.
    static let icecastAllowHeader = HTTPField.Name("icecast-auth-user")!

    /// `POST /api/icecast/stream-auth`: Icecast 2.4.4's URL authentication of source clients
    /// (`<authentication type="url"><option name="stream_auth" value=".../api/icecast/stream-auth"/>`
    /// in the DJ mount). Icecast posts a form (`action=stream_auth`, `mount`, `ip`, `user`, `pass`);
    /// a staff account (dj or admin) with that password may stream, with the same bcrypt check and
    /// rate limits as a sign-in, keyed by the DJ's address as Icecast saw it, and an audit entry.
    /// Only Icecast on this machine may ask: a request that came through nginx (`X-Real-IP`) or
    /// from elsewhere is answered 404. A refusal is a 200 without the header (Icecast then says 401
    /// to the DJ), so the answer never tells which part was wrong.
    func streamAuth(_ request: Request, context: APIRequestContext) async throws -> Response {
        let peer = context.remoteAddress?.ipAddress ?? ""
        guard peer == "127.0.0.1" || peer == "::1", Self.header(request, "x-real-ip") == nil,
            Self.header(request, "x-forwarded-for") == nil
        else { throw APIError.notFound }
        var request = request
        let buffer = try await request.collectBody(upTo: 4096)
        let form = Self.form(String(decoding: buffer.readableBytesView, as: UTF8.self))
        let refused = Response(status: .ok, headers: [.cacheControl: "no-store"])
        let address = String((form["ip"] ?? "unknown").prefix(64))
        let mount = LogText.escaped(form["mount"] ?? "", limit: 64)
        guard form["action"] == "stream_auth", let given = form["user"], let password = form["pass"] else { return refused }
        let name = given.trimmingCharacters(in: CharacterSet.whitespaces).lowercased()
        let key = AddressKey.of(address)
        if await signInPerAddress.take(key) != nil {
            logger.notice("DJ login refused: too many attempts", metadata: ["client.address": "\(address)", "icecast.mount": "\(mount)"])
            return refused
        }
        let found = User.validationError(name: name) == nil ? try await database.credentials(named: name) : nil
        if let user = found?.0, await signInPerAddressAndUser.take(key + " " + user.name.lowercased()) != nil {
            logger.notice("DJ login refused: too many attempts", metadata: ["client.address": "\(address)", "icecast.mount": "\(mount)"])
            return refused
        }
        let valid = try await verify(password: password, hash: found?.1 ?? dummyHash)
        guard valid, let user = found?.0 else {
            logger.notice(
                "DJ login refused",
                metadata: [
                    "user.name": "\(LogText.escaped(name, limit: 32))", "client.address": "\(address)", "icecast.mount": "\(mount)",
                ])
            return refused
        }
        // onaird names the live DJ by the account (onaird not running: the stream's name stays), and
        // refuses an account an admin took off the air, until its hold ends.
        if let answer = try? await control(ControlRequest(command: .dj, text: user.name)), !answer.ok {
            let reason = answer.error ?? "refused by onaird"
            logger.notice(
                "DJ login refused: \(reason)",
                metadata: ["user.name": "\(user.name)", "client.address": "\(address)", "icecast.mount": "\(mount)"])
            try await database.audit(actor: user.name, action: "dj-refused", detail: "on \(mount) from \(address): \(reason)")
            return refused
        }
        try await database.audit(actor: user.name, action: "dj-connect", detail: "on \(mount) from \(address)")
        logger.info("DJ may stream", metadata: ["user.name": "\(user.name)", "client.address": "\(address)", "icecast.mount": "\(mount)"])
        return Response(status: .ok, headers: [Self.icecastAllowHeader: "1", .cacheControl: "no-store"])
    }

    /// `application/x-www-form-urlencoded` into its fields (the first of each name; at most 16).
    static func form(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&").prefix(16) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }
}
