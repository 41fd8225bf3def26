import Foundation

/// What the first bytes of a PNG or JPEG say: its size and whether its pixels are plain RGB with
/// no alpha channel (what podcast apps ask of cover art). Only the header is read (the PNG's IHDR,
/// the JPEG's start-of-frame) and whether the file's end is there; nothing is decoded.
struct ImageHeader: Sendable, Equatable {
    enum Format: String, Sendable { case png, jpeg }

    var format: Format
    var width: Int
    var height: Int
    /// PNG colour type 2 at 8 bits (RGB, no alpha, no palette); a JPEG with 3 components at 8 bits
    /// (YCbCr or RGB; 1 is greyscale, 4 CMYK).
    var isRGB: Bool
    /// The file ends as it must (PNG: the IEND chunk; JPEG: the end-of-image marker in its last
    /// 4 KB, after which cameras sometimes leave padding): false for a file cut short.
    var isComplete = true

    /// nil for anything that is not a PNG or JPEG with a readable header.
    init?(_ data: Data) {
        let bytes = [UInt8](data.prefix(256 * 1024))
        if let png = Self.png(bytes) {
            self = png
        } else if let jpeg = Self.jpeg(bytes) {
            self = jpeg
        } else {
            return nil
        }
        let tail = [UInt8](data.suffix(4096))
        switch format {
        case .png: isComplete = tail.suffix(12) == [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]
        case .jpeg: isComplete = zip(tail, tail.dropFirst()).contains { $0 == 0xFF && $1 == 0xD9 }
        }
    }

    private init(format: Format, width: Int, height: Int, isRGB: Bool) {
        self.format = format; self.width = width; self.height = height; self.isRGB = isRGB
    }

    private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Signature, then the IHDR chunk first: length 13, "IHDR", width, height, bit depth, colour type.
    private static func png(_ bytes: [UInt8]) -> ImageHeader? {
        guard bytes.count >= 26, Array(bytes[0..<8]) == pngSignature, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        let width = bigEndian(bytes, 16, 4), height = bigEndian(bytes, 20, 4)
        guard width > 0, height > 0 else { return nil }
        return ImageHeader(format: .png, width: width, height: height, isRGB: bytes[24] == 8 && bytes[25] == 2)
    }

    /// SOI, then marker segments up to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC):
    /// length, precision, height, width, components. The scan (SOS) before any frame: not a JPEG we read.
    private static func jpeg(_ bytes: [UInt8]) -> ImageHeader? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var index = 2
        while index + 3 < bytes.count {
            guard bytes[index] == 0xFF else { return nil }
            let marker = bytes[index + 1]
            if marker == 0xFF { index += 1; continue }  // fill byte
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { index += 2; continue }  // no length
            let length = bigEndian(bytes, index + 2, 2)
            guard length >= 2 else { return nil }
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard index + 9 < bytes.count, length >= 8 else { return nil }
                let height = bigEndian(bytes, index + 5, 2), width = bigEndian(bytes, index + 7, 2)
                guard width > 0, height > 0 else { return nil }
                return ImageHeader(format: .jpeg, width: width, height: height, isRGB: bytes[index + 4] == 8 && bytes[index + 9] == 3)
            }
            if marker == 0xDA || marker == 0xD9 { return nil }
            index += 2 + length
        }
        return nil
    }

    private static func bigEndian(_ bytes: [UInt8], _ at: Int, _ count: Int) -> Int {
        bytes[at..<at + count].reduce(0) { $0 << 8 | Int($1) }
    }
}
