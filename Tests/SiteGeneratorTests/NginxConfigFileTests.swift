import Foundation
import Testing

@testable import SiteGenerator

@Suite struct NginxConfigFileTests {
    /// `deploy/nginx-onair.conf` is exactly `onair nginx-config --site /srv/onair/site --listen 80
    /// --server-name radio.example --recordings /srv/onair/recordings` (regenerate it with `make nginx-config`).
    @Test func deployFileIsTheGeneratorsOutputForTheExampleStation() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let committed = try String(contentsOf: repo.appendingPathComponent("deploy/nginx-onair.conf"), encoding: .utf8)
        let generated = NginxConfigFile(
            siteRoot: "/srv/onair/site", listen: "80", serverName: "radio.example", recordingsRoot: "/srv/onair/recordings"
        ).render()
        #expect(committed == generated)
    }

    @Test func serverBlockCarriesRootListenAndStreamProxy() {
        let text = NginxConfigFile(
            siteRoot: "/tmp/x/site", listen: "127.0.0.1:9999",
            icecastURL: "http://127.0.0.1:8123/"
        ).render()
        #expect(text.contains("\n    listen 127.0.0.1:9999;\n"))
        #expect(text.contains("\n    root /tmp/x/site;\n"))
        #expect(text.contains("\n    server_name _;\n"))
        #expect(text.contains("proxy_pass http://127.0.0.1:8123/;"))
        #expect(text.contains("proxy_buffering off;"))
        #expect(text.contains("add_header Content-Security-Policy \"\(NginxConfigFile.contentSecurityPolicy)\" always;"))
        #expect(!text.contains("/api/"))
        #expect(text.hasSuffix("}\n"))
        #expect(text.filter { $0 == "{" }.count == text.filter { $0 == "}" }.count)
    }

    @Test func cspIsTheAgreedPolicy() {
        #expect(
            NginxConfigFile.contentSecurityPolicy == "default-src 'self'; media-src 'self'; img-src 'self' data:; "
                + "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors $onair_frame_ancestors; base-uri 'self'; form-action 'self'"
        )
    }

    @Test func onlyTheEmbedMayBeFramed() {
        let text = NginxConfigFile(siteRoot: "/s").render()
        #expect(text.contains("\n    set $onair_frame_ancestors \"'none'\";\n    set $onair_frame_options \"DENY\";\n"))
        #expect(text.contains("add_header X-Frame-Options $onair_frame_options always;"))
        #expect(text.contains("location ^~ /embed/ {\n        set $onair_frame_ancestors \"*\";\n        set $onair_frame_options \"\";\n"))
        #expect(text.components(separatedBy: "set $onair_frame_ancestors").count == 3)
    }

    @Test func apiBlockOnlyWhenAsked() {
        let text = NginxConfigFile(siteRoot: "/s", apiURL: "http://127.0.0.1:8090").render()
        #expect(text.contains("location ^~ /api/ {\n        proxy_pass http://127.0.0.1:8090;\n"))
    }

    @Test(arguments: [
        (NginxConfigFile(siteRoot: "site"), "--site must resolve to an absolute path, not 'site'"),
        (
            NginxConfigFile(siteRoot: "/s", listen: "1.2.3.4:80 default"),
            "--listen takes one address such as 127.0.0.1:8080 or 80, not '1.2.3.4:80 default'"
        ),
        (NginxConfigFile(siteRoot: "/s;evil"), "--site must not contain quotes, ';', '{', '}' or line breaks: '/s;evil'"),
        (NginxConfigFile(siteRoot: "/s", serverName: ""), "--server-name must not be empty (use _ to match any host)"),
        (
            NginxConfigFile(siteRoot: "/s", icecastURL: "127.0.0.1:8000"),
            "--icecast must be an http:// or https:// URL such as http://127.0.0.1:8000, not '127.0.0.1:8000'"
        ),
    ])
    func badInputsAreRefusedWithAReason(config: NginxConfigFile, message: String) {
        #expect(config.validationError() == message)
    }

    @Test func defaultsAreValid() {
        #expect(NginxConfigFile(siteRoot: "/srv/onair/site").validationError() == nil)
    }
}
