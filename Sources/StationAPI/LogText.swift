/// Text from the network made safe for one log line: control characters (a newline would start a
/// forged log line), line and paragraph separators and bidi controls become `\u{…}` escapes, and
/// the result is cut to `limit` characters.
enum LogText {
    static func escaped(_ text: some StringProtocol, limit: Int = 64) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit { out += "…"; break }
            let value = scalar.value
            if scalar.properties.generalCategory == .control || value == 0x2028 || value == 0x2029
                || ChatRules.bidiControls.contains(value) || ChatRules.bidiIsolates.contains(value) || value == 0xFEFF || scalar == "\\"
            {
                out += scalar == "\\" ? "\\\\" : "\\u{\(String(value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out
    }
}
