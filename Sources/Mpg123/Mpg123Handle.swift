import CMpg123

/// A libmpg123 handle set up as both decoders (file and network feed) want it: quiet, float
/// output, every MPEG sample rate in mono or stereo. Deleted again when the setup fails.
enum Mpg123Handle {
    static let rates = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000]

    static func makeFloat() throws -> OpaquePointer {
        var error: Int32 = 0
        guard let handle = mpg123_new(nil, &error) else {
            throw Mpg123Error(function: "mpg123_new", code: Int(error), message: MP3FileDecoder.message(error))
        }
        _ = mpg123_param2(handle, Int32(MPG123_ADD_FLAGS.rawValue), Int(MPG123_QUIET.rawValue), 0)
        _ = mpg123_param2(handle, Int32(MPG123_ADD_FLAGS.rawValue), Int(MPG123_FORCE_FLOAT.rawValue), 0)
        do {
            try check(handle, mpg123_format_none(handle), "mpg123_format_none")
            for rate in rates {
                try check(
                    handle,
                    mpg123_format(
                        handle, rate, Int32(MPG123_MONO.rawValue | MPG123_STEREO.rawValue),
                        Int32(MPG123_ENC_FLOAT_32.rawValue)), "mpg123_format")
            }
        } catch {
            mpg123_delete(handle)
            throw error
        }
        return handle
    }

    /// Throws libmpg123's own message for a code other than MPG123_OK.
    static func check(_ handle: OpaquePointer, _ code: Int32, _ function: String) throws {
        guard code == MPG123_OK.rawValue else {
            let message = mpg123_strerror(handle).map { String(cString: $0) } ?? MP3FileDecoder.message(code)
            throw Mpg123Error(function: function, code: Int(code), message: message)
        }
    }
}
