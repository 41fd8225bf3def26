/// Why the engine cannot start: one sentence for people (never a password).
public struct StreamEngineError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
