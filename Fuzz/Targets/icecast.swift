// Icecast's /status-json.xsl as onaird's stats poller reads it: none, one or many sources, and
// whatever a broken or hostile server might send.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIcecastStatus(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    if let stats = try? IcecastStats.parse(data) {
        _ = stats.mounts.map { $0.mount.count }
    }
    return 0
}
