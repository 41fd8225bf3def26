/// A tiny indenting line writer for the config text.
struct NginxConfigWriter {
    private(set) var lines: [String] = []
    private var depth = 0

    static func += (lhs: inout NginxConfigWriter, rhs: String) {
        lhs.lines.append(rhs.isEmpty ? "" : String(repeating: "    ", count: lhs.depth) + rhs)
    }

    mutating func indent(_ body: (inout NginxConfigWriter) -> Void) {
        depth += 1
        body(&self)
        depth -= 1
    }

    /// Set once at server level: nginx drops inherited `add_header`s in any block that sets its own,
    /// so locations change the Cache-Control value through a variable instead.
    mutating func headers() {
        self += "add_header Cache-Control $onair_cache_control always;"
        self += "add_header Content-Security-Policy \"\(NginxConfigFile.contentSecurityPolicy)\" always;"
        self += "add_header X-Content-Type-Options \"nosniff\" always;"
        self += "add_header X-Frame-Options $onair_frame_options always;"
        self += "add_header Referrer-Policy \"strict-origin-when-cross-origin\" always;"
        self += "add_header Permissions-Policy \"camera=(), microphone=(), geolocation=(), payment=(), usb=()\" always;"
        self += "add_header Cross-Origin-Opener-Policy \"same-origin\" always;"
    }

    mutating func cache(_ value: String) {
        self += "set $onair_cache_control \"\(value)\";"
    }

    mutating func proxyCommon() {
        self += "proxy_http_version 1.1;"
        self += "proxy_set_header Host $host;"
        self += "proxy_set_header X-Real-IP $remote_addr;"
        self += "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;"
        self += "proxy_set_header X-Forwarded-Proto $scheme;"
        self += "proxy_set_header Connection \"\";"
        self += "proxy_buffering off;"
        self += "proxy_request_buffering off;"
        self += "proxy_cache off;"
    }

    var text: String { lines.joined(separator: "\n") + "\n" }
}
