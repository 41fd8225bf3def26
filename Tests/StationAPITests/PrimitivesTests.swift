import Foundation
import StationKit
import Testing

@testable import StationAPI

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func nistVectors(input: String, digest: String) {
        #expect(SHA256.hex(input) == digest)
    }

    @Test func millionAs() {
        #expect(SHA256.hex(String(repeating: "a", count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

@Suite struct ServerSentEventTests {
    @Test func eventWithIDAndMultilineData() {
        let event = ServerSentEvent(event: "nowplaying", id: 7, data: "{\n  \"a\": 1\r\n}")
        #expect(event.text == "event: nowplaying\nid: 7\ndata: {\ndata:   \"a\": 1\ndata: }\n\n")
    }

    @Test func heartbeatIsAComment() {
        #expect(ServerSentEvent.heartbeat.text == ": heartbeat\n\n")
    }
}

@Suite struct ChatRulesTests {
    @Test(arguments: [
        ("hello", "hello"), ("  padded  ", "padded"), ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("Grüße 👋🏽", "Grüße 👋🏽"), (String(repeating: "é", count: 500), String(repeating: "é", count: 500)),
    ])
    func acceptedTexts(raw: String, stored: String) throws {
        #expect(try ChatRules.text(raw).get() == stored)
    }

    @Test(arguments: [
        ("", "empty_text"), ("   ", "empty_text"), ("a\nb", "control_characters"), ("nul\u{0}", "control_characters"),
        ("esc\u{1B}[31m", "control_characters"), ("rtl \u{202E}evil", "control_characters"), ("del\u{7F}", "control_characters"),
        (String(repeating: "x", count: 501), "text_too_long"),
    ])
    func refusedTexts(raw: String, code: String) {
        guard case .failure(let error) = ChatRules.text(raw) else { Issue.record("accepted \(raw.debugDescription)"); return }
        #expect(error.code == code)
        #expect(error.status == .badRequest)
    }

    @Test func nicknameLimit() {
        #expect(throws: APIError.self) { try ChatRules.nickname(String(repeating: "n", count: 25)).get() }
        #expect((try? ChatRules.nickname(String(repeating: "n", count: 24)).get()) != nil)
    }

    @Test(arguments: ["sam", "night.owl", "DJ_1", "a-b"]) func goodUserNames(name: String) {
        #expect(User.validationError(name: name) == nil)
    }

    @Test(arguments: ["", ".hidden", "with space", "<b>", String(repeating: "a", count: 33)]) func badUserNames(name: String) {
        #expect(User.validationError(name: name) != nil)
    }
}

@Suite struct RateLimiterTests {
    @Test func burstThenWaitThenRefill() async {
        let limiter = RateLimiter(burst: 5, interval: 2)
        let start = Date(timeIntervalSince1970: 1_000)
        for _ in 0..<5 { #expect(await limiter.take("a", now: start) == nil) }
        #expect(await limiter.take("a", now: start) == 2)
        #expect(await limiter.take("b", now: start) == nil)  // keys are independent
        #expect(await limiter.take("a", now: start.addingTimeInterval(2)) == nil)
        #expect(await limiter.take("a", now: start.addingTimeInterval(2)) != nil)
    }
}

@Suite struct APIConfigTests {
    func write(_ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onair-api-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("onair-api.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func keysAndRelativePaths() throws {
        let path = try write("listen: 127.0.0.1:9001\ndata_dir: ./db\nsite: /srv/site\npublic_origin: https://radio.example/\n")
        let config = try APIConfig.load(path: path)
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        #expect(config.host == "127.0.0.1" && config.port == 9001)
        #expect(config.dataDir == base + "/db")
        #expect(config.site == "/srv/site")
        #expect(config.controlSocket == base + "/onaird.sock")
        #expect(config.publicOrigin == "https://radio.example")
    }

    @Test(arguments: [
        ("listen: localhost\n", "1: 'listen' must be HOST:PORT such as 127.0.0.1:8090, not 'localhost'"),
        ("listen: 127.0.0.1:99999\n", "1: 'listen' must be HOST:PORT such as 127.0.0.1:8090, not '127.0.0.1:99999'"),
        (
            "site: ./s\npublic_origin: radio.example\n",
            "2: 'public_origin' must be a scheme and host such as https://radio.example, not 'radio.example'"
        ),
        (
            "public_origin: https://radio.example/path\n",
            "1: 'public_origin' must be a scheme and host such as https://radio.example, not 'https://radio.example/path'"
        ),
        ("site: ./s\nlisten_on: 127.0.0.1:1\n", "2: unknown key 'listen_on' (did you mean 'listen'?)"),
        ("source_client:\n  mount: live\n", "2: 'source_client.mount' must be a mount path starting with '/', e.g. /radio.ogg, not 'live'"),
    ])
    func badValuesNameTheFileAndKey(text: String, message: String) throws {
        let path = try write(text)
        let error = try #require(throws: ConfigError.self) { try APIConfig.load(path: path) }
        #expect(error.description == "\(path):\(message)")
    }

    @Test func missingFile() {
        let error = #expect(throws: ConfigError.self) { try APIConfig.load(path: "/nonexistent/onair-api.yaml") }
        #expect(error?.description == "cannot read config file /nonexistent/onair-api.yaml: no such file or directory")
    }
}
