/// A failed libshout call: the function, libshout's code and its message. Never carries the password.
public struct ShoutError: Error, CustomStringConvertible, Sendable, Equatable {
    public var function: String
    public var code: Int
    public var message: String

    public init(function: String, code: Int, message: String) {
        self.function = function; self.code = code; self.message = message
    }

    /// libshout 2.4.6's names for its error codes (shout.h).
    public var codeName: String {
        switch code {
        case 0: "SHOUTERR_SUCCESS"
        case -1: "SHOUTERR_INSANE"
        case -2: "SHOUTERR_NOCONNECT"
        case -3: "SHOUTERR_NOLOGIN"
        case -4: "SHOUTERR_SOCKET"
        case -5: "SHOUTERR_MALLOC"
        case -6: "SHOUTERR_METADATA"
        case -7: "SHOUTERR_CONNECTED"
        case -8: "SHOUTERR_UNCONNECTED"
        case -9: "SHOUTERR_UNSUPPORTED"
        case -10: "SHOUTERR_BUSY"
        case -11: "SHOUTERR_NOTLS"
        case -12: "SHOUTERR_TLSBADCERT"
        case -13: "SHOUTERR_RETRY"
        default: "SHOUTERR_\(code)"
        }
    }

    /// Icecast refused the login: wrong password, wrong user, or the mount is taken or not allowed.
    public var isLoginRefused: Bool { code == -3 }

    /// `shout_open failed (-3, SHOUTERR_NOLOGIN): Login failed`
    public var description: String { "\(function) failed (\(code), \(codeName)): \(message)" }
}
