/// Why libmpg123 refused: the function, its code and the library's message.
public struct Mpg123Error: Error, CustomStringConvertible, Sendable, Equatable {
    public var function: String
    public var code: Int
    public var message: String
    public var description: String { "\(function) failed (\(code)): \(message)" }
}
