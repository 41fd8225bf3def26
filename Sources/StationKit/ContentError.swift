/// A problem in the station's content, reported the way compilers do: `path:line: error: message`.
/// The generator collects every one of them in a pass and prints them all.
public struct ContentError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var message: String

    public init(path: String, line: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(path):\(line): error: \(message)" }
        return "\(path): error: \(message)"
    }
}

/// Several content errors found in one pass, in the order they were found.
public struct ContentErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ContentError]
    public init(_ errors: [ContentError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
