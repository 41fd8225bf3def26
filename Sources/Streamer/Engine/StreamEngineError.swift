/// Why the engine cannot start: one sentence for people (never a password).
struct StreamEngineError: Error, CustomStringConvertible, Sendable, Equatable {
    var description: String
    init(_ description: String) { self.description = description }
}
