import Foundation

/// A value that JSON carries as its text (`"22:00"`, `"2026-12-24"`, `"monday"`): decoding parses
/// the text and names what it expected when it cannot.
public protocol TextCoded: Codable {
    /// Parses the text as JSON carries it; nil when it is not one.
    init?(codedText: String)
    var codedText: String { get }
    /// What the text must look like, for the decoding error ("a time HH:MM").
    static var codedTextShape: String { get }
}

extension TextCoded {
    public init(from decoder: any Decoder) throws { self = try Self.decodeText(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try encodeText(to: encoder) }

    /// For types whose own conformance would win over the defaults above (raw-value enums).
    public static func decodeText(from decoder: any Decoder) throws -> Self {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(codedText: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not \(Self.codedTextShape): \(text)")
        }
        return value
    }

    public func encodeText(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(codedText)
    }
}
