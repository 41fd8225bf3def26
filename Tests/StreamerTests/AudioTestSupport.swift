import Foundation

/// A fresh temporary folder per test, removed by the caller's `defer`.
struct AudioTestFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("onair-audio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Builds RIFF/WAVE bytes: 16-bit PCM unless told otherwise.
func wavBytes(samples: [Int16], channels: Int = 1, sampleRate: Int = 44_100, declaredDataLength: UInt32? = nil) -> [UInt8] {
    func le32(_ value: UInt32) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)] }
    func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    let data = samples.flatMap { le16(UInt16(bitPattern: $0)) }
    var bytes: [UInt8] = Array("RIFF".utf8) + le32(UInt32(36 + data.count)) + Array("WAVE".utf8)
    bytes += Array("fmt ".utf8) + le32(16) + le16(1) + le16(UInt16(channels)) + le32(UInt32(sampleRate))
    bytes += le32(UInt32(sampleRate * channels * 2)) + le16(UInt16(channels * 2)) + le16(16)
    bytes += Array("data".utf8) + le32(declaredDataLength ?? UInt32(data.count)) + data
    return bytes
}

/// Counts sign changes (from negative to non-negative) in one channel of interleaved samples.
func risingZeroCrossings(_ samples: [Float], channels: Int, channel: Int = 0) -> Int {
    var count = 0
    var previous: Float = 0
    var index = channel
    while index < samples.count {
        let value = samples[index]
        if previous < 0 && value >= 0 { count += 1 }
        previous = value
        index += channels
    }
    return count
}
