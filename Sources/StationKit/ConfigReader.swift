import Foundation
import Yams

/// The one reader of the programs' YAML config files (`onaird.yaml`, `onair-api.yaml`): known keys
/// only (an unknown one is an error with its line and the nearest known key), typed values, every
/// error naming the file, the line and the key, relative paths resolved against the file's folder.
public struct ConfigReader {
    /// A mapping whose keys were all checked against the allowed set.
    public struct Section {
        /// Dotted path of this mapping (`icecast`, `outputs[1]`), nil at the top.
        public var path: String?
        public var values: [String: Node]

        public init(path: String?, values: [String: Node]) { self.path = path; self.values = values }

        public func key(_ name: String) -> String { path.map { "\($0).\(name)" } ?? name }
    }

    /// The file as errors name it.
    public var file: String
    public var base: URL

    public init(file: String, base: URL) { self.file = file; self.base = base }

    /// Reads `path` (shown in errors as given) and checks its top-level keys against `keys`.
    public static func open(_ path: String, keys: [String]) throws(ConfigError) -> (ConfigReader, Section) {
        let text: String
        do {
            text = try TextFile.read(path)
        } catch {
            throw .unreadableConfig(path: path, reason: error.reason)
        }
        return try parse(text, file: path, base: URL(fileURLWithPath: path).deletingLastPathComponent(), keys: keys)
    }

    /// Checks the text of a config file named `file`; an empty file is an empty top section.
    public static func parse(_ yaml: String, file: String, base: URL, keys: [String]) throws(ConfigError) -> (ConfigReader, Section) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw yamlError(error, file: file, yaml: yaml)
        } catch {
            throw .notYAML(file: file, line: nil, problem: "\(error)")
        }
        let reader = ConfigReader(file: file, base: base)
        guard let root else { return (reader, Section(path: nil, values: [:])) }
        return (reader, try reader.section(root, path: nil, keys: keys))
    }

    /// The line a key's value starts on, for errors about it.
    public func line(_ parent: Section, _ name: String) -> Int? {
        parent.values[name]?.mark?.line
    }

    public func section(_ node: Node, path: String?, keys: [String]) throws(ConfigError) -> Section {
        guard case .mapping(let mapping) = node else {
            if path == nil { throw .notAMapping(file: file) }
            throw invalid(path ?? "", "a mapping of keys (e.g. '{ key: value }')", node)
        }
        var values: [String: Node] = [:]
        for (keyNode, value) in mapping {
            let name = keyNode.scalar?.string ?? "\(keyNode)"
            let dotted = path.map { "\($0).\(name)" } ?? name
            let line = keyNode.mark?.line ?? 0
            guard keys.contains(name) else {
                let suggestion = Self.closest(to: name, in: keys).map { key in path.map { "\($0).\(key)" } ?? key }
                throw .unknownKey(file: file, line: line, key: dotted, suggestion: suggestion)
            }
            guard values[name] == nil else { throw .duplicateKey(file: file, line: line, key: dotted) }
            values[name] = value
        }
        return Section(path: path, values: values)
    }

    /// A nested mapping, or an empty one when the key is absent.
    public func subsection(_ parent: Section, _ name: String, keys: [String]) throws(ConfigError) -> Section {
        guard let node = parent.values[name] else { return Section(path: parent.key(name), values: [:]) }
        return try section(node, path: parent.key(name), keys: keys)
    }

    public func list(_ parent: Section, _ name: String) throws(ConfigError) -> [Node]? {
        guard let node = parent.values[name] else { return nil }
        guard case .sequence(let sequence) = node else {
            throw invalid(parent.key(name), "a list (lines starting with '- ')", node)
        }
        return Array(sequence)
    }

    public func string(_ parent: Section, _ name: String, default fallback: String) throws(ConfigError) -> String {
        guard let node = parent.values[name] else { return fallback }
        guard case .scalar(let scalar) = node, node.tag != .init(.null), !scalar.string.isEmpty else {
            throw invalid(parent.key(name), "a non-empty text", node)
        }
        return scalar.string
    }

    /// A path, resolved against the config file's folder when relative.
    public func path(_ parent: Section, _ name: String, default fallback: String) throws(ConfigError) -> String {
        let text = try string(parent, name, default: fallback)
        return resolve(text)
    }

    public func resolve(_ text: String) -> String {
        if text.hasPrefix("/") { return text }
        return base.appendingPathComponent(text).standardizedFileURL.path
    }

    public func mount(_ parent: Section, _ name: String, default fallback: String) throws(ConfigError) -> String {
        let text = try string(parent, name, default: fallback)
        guard text.hasPrefix("/"), text.count > 1, !text.contains(where: { $0 == " " || $0 == "?" || $0 == "#" }) else {
            throw .invalid(
                file: file, line: line(parent, name), key: parent.key(name),
                requirement: "a mount path starting with '/', e.g. /radio.ogg",
                value: "'\(text)'")
        }
        return text
    }

    public func integer(
        _ parent: Section, _ name: String, default fallback: Int, in range: ClosedRange<Int>,
        requirement: String
    ) throws(ConfigError) -> Int {
        guard let node = parent.values[name] else { return fallback }
        guard case .scalar(let scalar) = node, let value = Int(scalar.string), range.contains(value) else {
            throw invalid(parent.key(name), requirement, node)
        }
        return value
    }

    public func number(
        _ parent: Section, _ name: String, default fallback: Double, in range: ClosedRange<Double>,
        requirement: String
    ) throws(ConfigError) -> Double {
        guard let node = parent.values[name] else { return fallback }
        guard case .scalar(let scalar) = node, let value = Double(scalar.string), value.isFinite, range.contains(value) else {
            throw invalid(parent.key(name), requirement, node)
        }
        return value
    }

    public func bool(_ parent: Section, _ name: String, default fallback: Bool) throws(ConfigError) -> Bool {
        guard let node = parent.values[name] else { return fallback }
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw invalid(parent.key(name), "true or false", node)
        }
    }

    public func invalid(_ key: String, _ requirement: String, _ node: Node) -> ConfigError {
        let value: String =
            switch node {
            case .scalar(let scalar): "'\(scalar.string)'"
            case .mapping: "a mapping"
            case .sequence: "a list"
            case .alias: "an alias"
            }
        return .invalid(file: file, line: node.mark?.line, key: key, requirement: requirement, value: value)
    }

    /// The allowed key nearest to a mistyped one, if it is close enough to be a typo.
    public static func closest(to name: String, in keys: [String]) -> String? {
        let scored = keys.map { ($0, distance(name.lowercased(), $0)) }.min { $0.1 < $1.1 }
        guard let (key, score) = scored, score <= max(2, name.count / 3) else { return nil }
        return key
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    private static func yamlError(_ error: YamlError, file: String, yaml: String) -> ConfigError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return .notYAML(file: file, line: mark.line, problem: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            return .duplicateKey(file: file, line: secondLine(of: key, in: yaml, after: context.mark.line) ?? context.mark.line, key: key)
        default:
            return .notYAML(file: file, line: nil, problem: "\(error)")
        }
    }
}

/// The line where `key:` appears for the second time at or after `line` (Yams marks the mapping).
private func secondLine(of key: String, in yaml: String, after line: Int) -> Int? {
    var seen = 0
    for (index, text) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where index + 1 >= line {
        let trimmed = text.drop { $0 == " " || $0 == "-" }
        guard trimmed.hasPrefix(key), trimmed.dropFirst(key.count).drop(while: { $0 == " " }).first == ":" else { continue }
        seen += 1
        if seen == 2 { return index + 1 }
    }
    return nil
}
