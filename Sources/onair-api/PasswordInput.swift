import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a password: on a terminal, asked for without echo (twice when `confirm`); otherwise the
/// first line of stdin. Never from the command line, where `ps` and shell history would show it.
enum PasswordInput {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func read(confirm: Bool) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            guard let line = readLine(strippingNewline: true) else {
                throw Failure(description: "no password on stdin (pipe it in, e.g. printf '%s\\n' \"$PASSWORD\" | onair user add ...)")
            }
            return line
        }
        let first = try prompt("Password: ")
        if confirm, try prompt("Again: ") != first { throw Failure(description: "the two passwords differ; nothing changed") }
        return first
    }

    private static func prompt(_ text: String) throws -> String {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw Failure(description: "no password entered") }
        return line
    }
}
