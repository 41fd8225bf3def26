/// Why libFLAC refused or what it found wrong in the data.
public struct FLACError: Error, CustomStringConvertible, Sendable, Equatable {
    public var function: String
    public var message: String
    public var description: String { "\(function): \(message)" }
}
