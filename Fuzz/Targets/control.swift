// The control socket's request line (`onair now|status|skip` -> onaird): any bytes must give a
// request or a thrown error, never a crash.
import Foundation
import StationKit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzControl(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    for line in data.split(separator: 0x0A, omittingEmptySubsequences: false).prefix(4) where line.count <= ControlWire.maxLine {
        if let request = try? ControlWire.decode(ControlRequest.self, from: Data(line)) {
            _ = try? ControlWire.line(request)
        }
        _ = try? ControlWire.decode(ControlResponse.self, from: Data(line))
    }
    return 0
}
