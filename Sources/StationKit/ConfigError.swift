/// Why a config file (`onaird.yaml`, `onair-api.yaml`) cannot be used: one line naming the file,
/// the line and the key, and what to do. The programs print it after their name and exit 1
/// before anything starts.
public enum ConfigError: Error, CustomStringConvertible, Equatable {
    case unreadableConfig(path: String, reason: String)
    case notYAML(file: String, line: Int?, problem: String)
    case notAMapping(file: String)
    case unknownKey(file: String, line: Int, key: String, suggestion: String?)
    case duplicateKey(file: String, line: Int, key: String)
    /// `value` is already rendered: `'soon'`, `a list`, `a mapping`.
    case invalid(file: String, line: Int? = nil, key: String, requirement: String, value: String)
    case unreadablePassword(path: String, reason: String, permission: Bool)
    /// `what`: the password that belongs on its first line ("the Icecast source password").
    case emptyPassword(path: String, what: String = "the Icecast source password")

    public var description: String {
        switch self {
        case .unreadableConfig(let path, let reason):
            "cannot read config file \(path): \(reason)"
        case .notYAML(let file, let line, let problem):
            "\(file)\(line.map { ":\($0)" } ?? ""): not valid YAML: \(problem)"
        case .notAMapping(let file):
            "\(file): expected 'key: value' lines at the top level"
        case .unknownKey(let file, let line, let key, let suggestion):
            "\(file):\(line): unknown key '\(key)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case .duplicateKey(let file, let line, let key):
            "\(file):\(line): key '\(key)' is set twice"
        case .invalid(let file, let line, let key, let requirement, let value):
            "\(file)\(line.map { ":\($0)" } ?? ""): '\(key)' must be \(requirement), not \(value)"
        case .unreadablePassword(let path, let reason, let permission):
            "cannot read password file \(path): \(reason)" + (permission ? " (run as the onair user?)" : "")
        case .emptyPassword(let path, let what):
            "password file \(path) is empty: put \(what) on its first line"
        }
    }
}
