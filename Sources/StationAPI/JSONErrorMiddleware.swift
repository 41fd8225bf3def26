import Foundation
import Hummingbird
import Logging
import NIOCore

/// Turns every failure (unknown route, oversized body, bad JSON, storage error) into a JSON error
/// answer without internals; unexpected errors are logged with the request id, not sent.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response()
        } catch let error as HTTPError {
            return Self.apiError(for: error).response()
        } catch is NIOTooManyBytesError {
            return Self.apiError(for: HTTPError(.contentTooLarge)).response()
        } catch is DecodingError {
            return APIError.badRequest("invalid_json", "the request body is not the JSON this route expects").response()
        } catch {
            context.logger.error("request failed", metadata: ["http.path": "\(request.uri.path)", "error": "\(error)"])
            return APIError(.internalServerError, code: "internal", "the server failed; the operator can find details in its log").response()
        }
    }

    static func apiError(for error: HTTPError) -> APIError {
        switch error.status {
        case .notFound: .notFound
        case .contentTooLarge: APIError(.contentTooLarge, code: "body_too_large", "the request body is larger than \(APIServer.maxBody / 1024) KB")
        case .methodNotAllowed: APIError(.methodNotAllowed, code: "method_not_allowed", "this route does not take \(error.status)")
        default: APIError(error.status, code: "http_\(error.status.code)", error.body ?? error.status.reasonPhrase)
        }
    }
}
