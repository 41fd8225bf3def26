import Foundation
import Yams

/// Walks the YAML tree of `onaird.yaml`: known keys only, typed values, errors naming the key.
struct ConfigReader {
    /// A mapping whose keys were all checked against the allowed set.
    struct Section {
        /// Dotted path of this mapping (`icecast`, `outputs[1]`), nil at the top.
        var path: String?
        var values: [String: Node]

        func key(_ name: String) -> String { path.map { "\($0).\(name)" } ?? name }
    }

    var file: String
    var base: URL

    func section(_ node: Node, path: String?, keys: [String]) throws(ConfigError) -> Section {
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
    func subsection(_ parent: Section, _ name: String, keys: [String]) throws(ConfigError) -> Section {
        guard let node = parent.values[name] else { return Section(path: parent.key(name), values: [:]) }
        return try section(node, path: parent.key(name), keys: keys)
    }

    func list(_ parent: Section, _ name: String) throws(ConfigError) -> [Node]? {
        guard let node = parent.values[name] else { return nil }
        guard case .sequence(let sequence) = node else {
            throw invalid(parent.key(name), "a list (lines starting with '- ')", node)
        }
        return Array(sequence)
    }

    func string(_ parent: Section, _ name: String, default fallback: String) throws(ConfigError) -> String {
        guard let node = parent.values[name] else { return fallback }
        guard case .scalar(let scalar) = node, node.tag != .init(.null), !scalar.string.isEmpty else {
            throw invalid(parent.key(name), "a non-empty text", node)
        }
        return scalar.string
    }

    /// A path, resolved against the config file's folder when relative.
    func path(_ parent: Section, _ name: String, default fallback: String) throws(ConfigError) -> String {
        let text = try string(parent, name, default: fallback)
        return resolve(text)
    }

    func resolve(_ text: String) -> String {
        if text.hasPrefix("/") { return text }
        return base.appendingPathComponent(text).standardizedFileURL.path
    }

    func mount(_ parent: Section, _ name: String, default fallback: String) throws(ConfigError) -> String {
        let text = try string(parent, name, default: fallback)
        guard text.hasPrefix("/"), text.count > 1, !text.contains(where: { $0 == " " || $0 == "?" || $0 == "#" }) else {
            throw .invalid(file: file, key: parent.key(name), requirement: "a mount path starting with '/', e.g. /radio.ogg",
                           value: "'\(text)'")
        }
        return text
    }

    func integer(_ parent: Section, _ name: String, default fallback: Int, in range: ClosedRange<Int>,
                 requirement: String) throws(ConfigError) -> Int {
        guard let node = parent.values[name] else { return fallback }
        guard case .scalar(let scalar) = node, let value = Int(scalar.string), range.contains(value) else {
            throw invalid(parent.key(name), requirement, node)
        }
        return value
    }

    func number(_ parent: Section, _ name: String, default fallback: Double, in range: ClosedRange<Double>,
                requirement: String) throws(ConfigError) -> Double {
        guard let node = parent.values[name] else { return fallback }
        guard case .scalar(let scalar) = node, let value = Double(scalar.string), value.isFinite, range.contains(value) else {
            throw invalid(parent.key(name), requirement, node)
        }
        return value
    }

    func bool(_ parent: Section, _ name: String, default fallback: Bool) throws(ConfigError) -> Bool {
        guard let node = parent.values[name] else { return fallback }
        switch node.scalar?.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw invalid(parent.key(name), "true or false", node)
        }
    }

    func invalid(_ key: String, _ requirement: String, _ node: Node) -> ConfigError {
        let value: String = switch node {
        case .scalar(let scalar): "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
        return .invalid(file: file, key: key, requirement: requirement, value: value)
    }

    /// The allowed key nearest to a mistyped one, if it is close enough to be a typo.
    static func closest(to name: String, in keys: [String]) -> String? {
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
}
