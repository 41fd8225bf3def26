/// A failed librsvg or cairo call: the function and the library's message.
public struct SVGRenderError: Error, CustomStringConvertible, Sendable, Equatable {
    public var function: String
    public var message: String

    public init(function: String, message: String) {
        self.function = function; self.message = message
    }

    public var description: String { "\(function) failed: \(message)" }
}
