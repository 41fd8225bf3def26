// onaird.yaml: any text must give a config or one ConfigError line, never a crash.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDaemonConfig(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    do {
        _ = try DaemonConfig.parse(yaml: text, file: "onaird.yaml", baseDirectory: URL(fileURLWithPath: "/nonexistent"),
                                   environment: ["ONAIR_SOURCE_PASSWORD": "fuzz"])
    } catch {
        _ = error.description
    }
    return 0
}
