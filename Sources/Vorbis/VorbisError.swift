/// A failed libvorbis/libogg call: the function, the library's code and what it means.
public struct VorbisError: Error, CustomStringConvertible, Sendable, Equatable {
    public var function: String
    public var code: Int
    public var message: String

    public init(function: String, code: Int, message: String? = nil) {
        self.function = function; self.code = code
        self.message = message ?? Self.meaning(of: code)
    }

    public var description: String { "\(function) failed (\(code)): \(message)" }

    /// The meanings of libvorbis's OV_E* codes (codec.h).
    static func meaning(of code: Int) -> String {
        switch code {
        case -1: "false or end of data"
        case -2: "end of file"
        case -3: "hole in the data (interrupted stream)"
        case -128: "read error"
        case -129: "internal fault"
        case -130: "unimplemented mode (unsupported rate, channels or quality)"
        case -131: "invalid argument"
        case -132: "not Vorbis data"
        case -133: "invalid Vorbis header"
        case -134: "unsupported Vorbis version"
        case -135: "not audio"
        case -136: "bad packet"
        case -137: "bad link"
        case -138: "not seekable"
        default: "error \(code)"
        }
    }
}
