import CDiscount
import Foundation

/// Markdown to HTML through Discount (libmarkdown). The only file that calls into `CDiscount`.
///
/// Documents render on many threads at once, without a lock. Discount 2.2.7 (Debian's
/// libmarkdown2) keeps all parsing and output state in the document it allocates; its only
/// writable process-wide state (the library's `.data`/`.bss`, checked in the disassembly) is
/// - the first-call flag of `mkd_initialize` (which seeds `random()`; `mkd_compile` calls it on
///   every document), set here once, before any document, so no two threads race on it;
/// - the extra block-tag table, written only by `mkd_define_tag`/`mkd_with_html5_tags` (and the
///   unload destructor), which this wrapper never calls: `mkd_search_tags` only reads it.
/// Everything else it touches is read-only tables. Calling `mkd_define_tag` or
/// `mkd_with_html5_tags` anywhere in the process would need a lock around all rendering again.
public enum Markdown {
    /// Discount features the station's content may use.
    public struct Options: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// ```` ``` ```` fenced code blocks.
        public static let fencedCode = Options(rawValue: UInt32(MKD_FENCEDCODE))
        /// Bare `https://…` URLs become links.
        public static let autolink = Options(rawValue: UInt32(MKD_AUTOLINK))
        /// Headings get `id` anchors (`MKD_TOC` + `MKD_IDANCHOR`).
        public static let headingAnchors = Options(rawValue: UInt32(MKD_TOC) | UInt32(MKD_IDANCHOR))
        /// Links only with safe protocols (no `javascript:`).
        public static let safeLinks = Options(rawValue: UInt32(MKD_SAFELINK))
        /// Plain quotes and dashes instead of typographic ones.
        public static let noSmartyPants = Options(rawValue: UInt32(MKD_NOPANTS))
        /// Raw HTML in the source is escaped instead of passed through.
        public static let noHTML = Options(rawValue: UInt32(MKD_NOHTML))

        /// What station pages use.
        public static let station: Options = [.fencedCode, .autolink, .headingAnchors, .safeLinks]
    }

    /// Discount failed; `function` names the C call.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var function: String
        public var description: String { "Discount: \(function) failed" }
    }

    /// Discount's one-time initialisation, run exactly once (a static's initialiser is atomic).
    private static let initialized: Bool = {
        mkd_initialize()
        return true
    }()

    /// Renders `text` to an HTML fragment (no `<html>` wrapper). Empty input gives "".
    public static func html(_ text: String, options: Options = .station) throws -> String {
        let flags = mkd_flag_t(options.rawValue)
        var utf8 = Array(text.utf8)
        if utf8.isEmpty { return "" }
        if utf8.last != UInt8(ascii: "\n") { utf8.append(UInt8(ascii: "\n")) }
        guard initialized else { throw Failure(function: "mkd_initialize") }
        return try utf8.withUnsafeBufferPointer { buffer -> String in
            try buffer.withMemoryRebound(to: CChar.self) { chars -> String in
                guard let document = mkd_string(chars.baseAddress, Int32(chars.count), flags) else {
                    throw Failure(function: "mkd_string")
                }
                defer { mkd_cleanup(document) }
                guard mkd_compile(document, flags) == 1 else { throw Failure(function: "mkd_compile") }
                var output: UnsafeMutablePointer<CChar>?
                let length = mkd_document(document, &output)
                guard length >= 0 else { throw Failure(function: "mkd_document") }
                guard let output, length > 0 else { return "" }
                let bytes = UnsafeRawBufferPointer(start: output, count: Int(length))
                return String(decoding: bytes, as: UTF8.self)
            }
        }
    }
}
