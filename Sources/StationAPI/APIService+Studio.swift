import Foundation
import Hummingbird
import NIOPosix
import StationKit

extension APIService {
    struct StudioState: Encodable {
        var user: User
        var onaird: ControlStatus?
        var onairdError: String?
        var sourceClient: APIConfig.SourceClient
        enum CodingKeys: String, CodingKey { case user, onaird, onairdError = "onaird_error", sourceClient = "source_client" }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(user, forKey: .user); try c.encode(onaird, forKey: .onaird)
            try c.encode(onairdError, forKey: .onairdError); try c.encode(sourceClient, forKey: .sourceClient)
        }
    }

    /// Sends one control request to onaird on a pool thread (the client blocks). Unreachable -> 503.
    func control(_ request: ControlRequest) async throws -> ControlResponse {
        let client = ControlClient(path: config.controlSocket, timeout: 5)
        do {
            return try await NIOThreadPool.singleton.runIfActive { try client.send(request) }
        } catch let failure as ControlClient.Failure {
            logger.warning("onaird control failed", metadata: ["control.socket": "\(config.controlSocket)", "error": "\(failure)"])
            throw APIError(
                .serviceUnavailable, code: "onaird_unavailable",
                "the streaming daemon does not answer; the operator should check onaird (systemctl status onaird)")
        }
    }

    /// `GET /api/studio` (DJ or admin): onaird's status and the settings a source client needs for the live mount.
    func studio(_ request: Request, context: APIRequestContext) async throws -> Response {
        let user = try await requireUser(request)
        var status: ControlStatus?
        var problem: String?
        do {
            let answer = try await control(.status)
            if answer.ok { status = answer.status } else { problem = answer.error ?? "onaird refused the status request" }
        } catch let error as APIError {
            problem = error.message
        }
        return try Self.json(StudioState(user: user, onaird: status, onairdError: problem, sourceClient: sourceClientSettings(for: user)))
    }

    /// The configured `source_client`, completed from nowplaying.json's listen URL and first mount;
    /// with `accounts: true` the user is the signed-in DJ's own account name.
    func sourceClientSettings(for user: User) -> APIConfig.SourceClient {
        var settings = config.sourceClient
        if settings.accounts { settings.user = user.name }
        guard settings.server == nil || settings.port == nil || settings.format == nil,
            let data = FileManager.default.contents(atPath: config.nowPlayingPath),
            let document = try? JSONDecoder.onAir().decode(NowPlayingDocument.self, from: data)
        else { return settings }
        if let url = URLComponents(string: document.station.listenURL) {
            settings.server = settings.server ?? url.host
            settings.port = settings.port ?? url.port ?? (url.scheme == "https" ? 443 : 80)
        }
        if let mount = document.station.mounts.first {
            settings.format = settings.format ?? mount.format
            settings.bitrate = settings.bitrate ?? mount.bitrate
        }
        return settings
    }

    /// `POST /api/studio/title` (DJ or admin): `onair now` through the control socket.
    func setTitle(_ request: Request, context: APIRequestContext) async throws -> Response {
        try requireStateChange(request)
        let user = try await requireUser(request)
        let title = try ChatRules.title(try await body(TitleRequest.self, request).title).get()
        let answer = try await control(.now(title))
        guard answer.ok else {
            throw APIError(.conflict, code: "onaird_refused", "onaird refused the title: \(answer.error ?? "no reason given")")
        }
        try await database.audit(actor: user.name, action: "title", detail: title)
        return try Self.json(["title": title, "message": answer.message ?? "title set"])
    }

    /// `POST /api/studio/skip` (DJ or admin): `onair skip` through the control socket.
    func skip(_ request: Request, context: APIRequestContext) async throws -> Response {
        try requireStateChange(request)
        let user = try await requireUser(request)
        let answer = try await control(.skip)
        guard answer.ok else {
            throw APIError(.conflict, code: "onaird_refused", "onaird refused to skip: \(answer.error ?? "no reason given")")
        }
        try await database.audit(actor: user.name, action: "skip", detail: answer.message ?? "")
        return try Self.json(["message": answer.message ?? "skipped"])
    }

    /// `POST /api/studio/end-live` (admin): takes the live DJ off the air; the programme fades back in.
    func endLive(_ request: Request, context: APIRequestContext) async throws -> Response {
        try requireStateChange(request)
        let user = try await requireUser(request, roles: [.admin])
        let answer = try await control(.endLive(by: user.name))
        guard answer.ok else {
            throw APIError(.conflict, code: "onaird_refused", "onaird refused: \(answer.error ?? "no reason given")")
        }
        try await database.audit(actor: user.name, action: "end-live", detail: answer.message ?? "")
        return try Self.json(["message": answer.message ?? "the DJ goes off the air"])
    }

    /// `GET /api/audit` (admin): the newest 100 audit entries.
    func auditLog(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try await requireUser(request, roles: [.admin])
        return try Self.json(["entries": try await database.auditLog(limit: 100)])
    }
}
