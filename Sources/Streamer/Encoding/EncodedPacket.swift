/// One coded unit of an output's stream (an Opus packet, an MP3 frame) and how long it plays:
/// what a recording takes from an output instead of encoding the same audio again.
struct EncodedPacket: Equatable {
    var bytes: [UInt8]
    var seconds: Double
}
