/// Share links built at build time: plain links that work without JavaScript and load nothing
/// from the networks until the listener clicks. Copy-link and the Web Share API are buttons the
/// page's script enables.
enum ShareLinks {
    static func links(url: String, text: String) -> [ShareLink] {
        let u = encode(url), t = encode(text)
        return [
            ShareLink(name: "X", key: "x", url: "https://x.com/intent/post?text=\(t)&url=\(u)"),
            ShareLink(name: "Facebook", key: "facebook", url: "https://www.facebook.com/sharer/sharer.php?u=\(u)"),
            ShareLink(name: "Mastodon", key: "mastodon", url: "https://mastodonshare.com/?text=\(t)&url=\(u)"),
            ShareLink(name: "WhatsApp", key: "whatsapp", url: "https://wa.me/?text=\(encode(text + " " + url))"),
            ShareLink(name: "Telegram", key: "telegram", url: "https://t.me/share/url?url=\(u)&text=\(t)"),
            ShareLink(name: "Reddit", key: "reddit", url: "https://www.reddit.com/submit?url=\(u)&title=\(t)"),
            ShareLink(name: "E-mail", key: "email", url: "mailto:?subject=\(t)&body=\(encode(text + "\n\n" + url))"),
        ]
    }

    /// Percent-encodes everything except RFC 3986 unreserved characters (over the UTF-8 bytes).
    static func encode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count * 2)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.append(byte)
            default:
                result.append(UInt8(ascii: "%")); result.append(hex[Int(byte >> 4)]); result.append(hex[Int(byte & 0xF)])
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
