import Foundation
import StationKit

/// A text file from `Content/` or `Templates/`, decoded as UTF-8, with the path errors should name.
struct SourceFile: Sendable {
    /// The path as the user sees it: `Content/shows/night-owls.md`.
    var displayPath: String
    var text: String

    /// Reads `url` as strict UTF-8. Invalid bytes are an error naming the line they are on.
    static func read(_ url: URL, displayPath: String) throws(ContentError) -> SourceFile {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ContentError(path: displayPath, message: "cannot read the file (\(error.localizedDescription))")
        }
        return try decode(data, displayPath: displayPath)
    }

    /// Strict UTF-8 (an error naming the line of the first invalid byte), without a BOM, CRLF as LF.
    private static func decode(_ data: Data, displayPath: String) throws(ContentError) -> SourceFile {
        // Validated over the contiguous bytes (through `Data`'s iterator it went a byte at a time).
        guard let text = data.withUnsafeBytes({ String(validating: $0.bindMemory(to: UInt8.self), as: UTF8.self) }) else {
            throw ContentError(
                path: displayPath, line: firstInvalidLine(data),
                message: "invalid UTF-8 (save the file as UTF-8)")
        }
        let withoutBOM = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let hasCR = data.withUnsafeBytes { raw in raw.baseAddress.map { memchr($0, 0x0D, raw.count) != nil } ?? false }
        guard hasCR else { return SourceFile(displayPath: displayPath, text: withoutBOM) }
        return SourceFile(displayPath: displayPath, text: Escaping.replacing("\r\n", with: "\n", in: withoutBOM))
    }

    /// `read(_:displayPath:)` of a file named by path (no `URL` made on the way: ten thousand posts).
    static func read(path: String, displayPath: String) throws(ContentError) -> SourceFile {
        try read(URL(fileURLWithPath: path, isDirectory: false), displayPath: displayPath)
    }

    /// The 1-based line holding the first byte sequence that is not UTF-8.
    static func firstInvalidLine(_ data: Data) -> Int {
        let bytes = [UInt8](data)
        var line = 1, index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length: Int
            switch byte {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return line
            }
            if length > 1 {
                guard index + length <= bytes.count,
                    String(validating: bytes[index..<index + length], as: UTF8.self) != nil
                else { return line }
            }
            if byte == UInt8(ascii: "\n") { line += 1 }
            index += length
        }
        return line
    }
}
