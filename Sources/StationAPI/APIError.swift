import Foundation
import Hummingbird

/// Every error the service answers: a 4xx/5xx status and `{"error": "...", "code": "..."}`.
public struct APIError: Error, HTTPResponseError, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, _ message: String) {
        self.status = status; self.code = code; self.message = message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    func response() -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        let body = (try? JSONEncoder.api.encode(["error": message, "code": code])) ?? Data("{}".utf8)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static let notFound = APIError(.notFound, code: "not_found", "no such API route")
    static let signInRequired = APIError(.unauthorized, code: "sign_in_required", "sign in first (POST /api/session)")
    static let forbidden = APIError(.forbidden, code: "forbidden", "your role may not do this")
    static let badOrigin = APIError(.forbidden, code: "bad_origin", "cross-site request refused (Origin does not match this site)")
    static let notJSON = APIError(
        .unsupportedMediaType, code: "unsupported_media_type",
        "send the request as JSON (Content-Type: application/json)")
    static func badRequest(_ code: String, _ message: String) -> APIError { APIError(.badRequest, code: code, message) }
}

extension JSONEncoder {
    /// Compact, sorted keys, ISO 8601 dates: what every API answer uses.
    static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
