extension LiveReceiver {
    /// The codec of a DJ stream: MP3 by its Content-Type; Ogg by the first packet of its first
    /// page (read through `read` into `sniffed`, which the decoder then reads first).
    static func codec(
        contentType: String, sniffed: inout [UInt8],
        read: (UnsafeMutableRawBufferPointer) -> Int
    ) -> Codec {
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch type {
        case "audio/mpeg", "audio/mp3", "audio/mpeg3": return .mp3
        case "application/ogg", "audio/ogg", "audio/opus", "audio/vorbis", "video/ogg", "audio/x-ogg", "application/x-ogg": break
        case "audio/aac", "audio/aacp", "audio/x-aac": return .unsupported("AAC (\(type))")
        default: return .unsupported("Content-Type '\(String(type.prefix(64)))'")
        }
        // An Ogg page header is 27 bytes plus one byte per segment; the first packet follows.
        var buffer = [UInt8](repeating: 0, count: 4096)
        while sniffed.count < 27 + 255 + 8 {
            if sniffed.count >= 27, sniffed.count >= 27 + Int(sniffed[26]) + 8 { break }
            let count = buffer.withUnsafeMutableBytes { read($0) }
            guard count > 0 else { return .unsupported("the stream ended before its first page") }
            sniffed.append(contentsOf: buffer[0..<count])
        }
        return oggCodec(sniffed)
    }

    /// Which codec the first packet of an Ogg stream's first page announces.
    static func oggCodec(_ bytes: [UInt8]) -> Codec {
        guard bytes.count >= 27, bytes.starts(with: Array("OggS".utf8)) else { return .unsupported("not an Ogg stream") }
        let start = 27 + Int(bytes[26])
        guard bytes.count >= start + 8 else { return .unsupported("a truncated Ogg page") }
        let packet = Array(bytes[start..<(start + 8)])
        if packet.starts(with: [1] + Array("vorbis".utf8)) { return .vorbis }
        if packet == Array("OpusHead".utf8) { return .opus }
        if packet.starts(with: [0x7F] + Array("FLAC".utf8)) { return .unsupported("FLAC in Ogg") }
        if packet.starts(with: Array("Speex".utf8)) { return .unsupported("Speex in Ogg") }
        if packet.starts(with: Array("fishead".utf8)) { return .unsupported("an Ogg Skeleton stream") }
        return .unsupported("an unknown Ogg codec")
    }
}
