import Foundation

// The JSON bodies the routes take, and how a body becomes one: apart from the routes (no
// Hummingbird here), so the libFuzzer target `Fuzz/Targets/apibodies.swift` decodes exactly what
// the service decodes.

/// Request bodies name an example of themselves for error messages.
protocol ExampleBody: Decodable { static var example: String { get } }
extension Decodable {
    static var example: String { (Self.self as? any ExampleBody.Type)?.example ?? "{...}" }
}

extension APIService {
    struct SignIn: ExampleBody {
        var username: String
        var password: String
        static let example = #"{"username": "sam", "password": "..."}"#
    }

    struct ChatPost: ExampleBody {
        var nickname: String
        var text: String
        static let example = #"{"nickname": "owl", "text": "hello"}"#
    }

    struct MuteRequest: ExampleBody {
        var nickname: String
        var minutes: Int
        static let example = #"{"nickname": "spammer", "minutes": 10}"#
    }

    struct SlowModeRequest: ExampleBody {
        var seconds: Int
        static let example = #"{"seconds": 30}"#
    }

    struct NewUser: ExampleBody {
        var username: String
        var password: String
        var role: User.Role
        static let example = #"{"username": "sam", "password": "at least 8 characters", "role": "dj"}"#
    }

    struct NewPassword: ExampleBody {
        var password: String
        static let example = #"{"password": "at least 8 characters"}"#
    }

    struct TitleRequest: ExampleBody {
        var title: String
        static let example = #"{"title": "Artist - Title"}"#
    }

    /// `bytes` as `T`: valid UTF-8 and JSON, or a clear 400.
    static func decodeBody<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(APIError) -> T {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw APIError.badRequest("invalid_utf8", "the request body is not valid UTF-8")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw APIError.badRequest("invalid_json", "the request body must be JSON like \(T.example)")
        }
    }
}
