// The two StationAPI types that RequestBodies.swift and ChatRules.swift name, without Hummingbird
// (the real APIError carries an HTTP status; here only what the rules set).
final class APIService {}

struct APIError: Error {
    var code: String
    var message: String
    static func badRequest(_ code: String, _ message: String) -> APIError { APIError(code: code, message: message) }
}
