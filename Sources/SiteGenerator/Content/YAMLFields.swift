import StationKit
import Yams

/// A YAML mapping read field by field, remembering each field's line so errors can name it.
/// Type errors are collected in `errors` instead of stopping at the first.
struct YAMLFields {
    var path: String
    /// Line in the file of the YAML's first line (2 for front matter, 1 for station.yaml).
    var firstLine: Int
    private var mapping: Node.Mapping?
    private(set) var errors: [ContentError] = []

    /// Parses `yaml` that must be a mapping (or empty). Syntax errors carry the file's line.
    static func parse(_ yaml: String, path: String, firstLine: Int, what: String) throws(ContentError) -> YAMLFields {
        // Flat `key: value` front matter needs no parser (same nodes; see `FlatYAML`).
        if let (mapping, keyLines) = FlatYAML.mapping(yaml) {
            var fields = YAMLFields(path: path, firstLine: firstLine, mapping: mapping)
            fields.keyLines = keyLines
            // Plain keys: looking one up by its text finds what `Node.Mapping`'s subscript finds
            // (which compares resolved tags, a regular expression per key and lookup).
            fields.flatValues = Dictionary(mapping.map { ($0.key.scalar?.string ?? "", $0.value) }) { first, _ in first }
            return fields
        }
        return try parseWithYams(yaml, path: path, firstLine: firstLine, what: what)
    }

    /// `parse` through libyaml, whatever the text.
    static func parseWithYams(_ yaml: String, path: String, firstLine: Int, what: String) throws(ContentError) -> YAMLFields {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml, .default, .default, .utf8)  // `.default` reads the environment on every call
        } catch let error as YamlError {
            let (line, problem) = Self.describe(error)
            // libyaml notices an unclosed bracket or quote at the end of the text: name the last line.
            let lastLine = firstLine + max(0, yaml.split(separator: "\n", omittingEmptySubsequences: false).count - 1)
            throw ContentError(
                path: path, line: min(line.map { $0 + firstLine - 1 } ?? firstLine, lastLine),
                message: "\(what) is not valid YAML: \(problem)")
        } catch {
            throw ContentError(path: path, line: firstLine, message: "\(what) is not valid YAML: \(error)")
        }
        guard let node else { return YAMLFields(path: path, firstLine: firstLine, mapping: nil) }
        guard let mapping = node.mapping else {
            throw ContentError(path: path, line: firstLine, message: "\(what) must be 'key: value' lines")
        }
        return YAMLFields(path: path, firstLine: firstLine, mapping: mapping)
    }

    private static func describe(_ error: YamlError) -> (Int?, String) {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return (mark.line, prefix + problem)
        case let .duplicatedKeysInMapping(duplicates, context):
            return (context.mark.line, "duplicate key \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", "))")
        default:
            return (nil, "\(error)")
        }
    }

    func line(of node: Node?) -> Int { (node?.mark?.line).map { $0 + firstLine - 1 } ?? firstLine }
    func line(_ key: String) -> Int {
        if let keyLines { return keyLines[key].map { $0 + firstLine - 1 } ?? fallbackLine }
        guard let mapping, let pair = mapping.first(where: { $0.key.string == key }) else { return fallbackLine }
        return line(of: pair.key)
    }

    func node(_ key: String) -> Node? {
        if let flatValues { return flatValues[key] }
        return mapping?[key]
    }
    var keys: [String] { mapping?.compactMap { $0.key.string } ?? [] }

    /// An error for every key outside `known`, at its line, with the nearest known key when it
    /// looks like a typo (the suggestion the programs' config reader gives, `ConfigReader.closest`).
    mutating func rejectUnknownKeys(_ known: [String], prefix: String = "") {
        for key in keys where !known.contains(key) {
            let suggestion = ConfigReader.closest(to: key, in: known).map { " (did you mean '\(prefix)\($0)'?)" } ?? ""
            fail(key, "unknown key '\(prefix)\(key)'\(suggestion)")
        }
    }

    mutating func fail(_ key: String, _ message: String) {
        errors.append(ContentError(path: path, line: line(key), message: message))
    }

    /// A string field; numbers and booleans are taken as written.
    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let node = node(key), node.null == nil else {
            if required { errors.append(ContentError(path: path, line: fallbackLine, message: "'\(key)' is missing")) }
            return nil
        }
        guard let scalar = node.scalar else {
            fail(key, "'\(key)' must be text, not a list or a mapping")
            return nil
        }
        let value = Escaping.trimmed(scalar.string, newlines: true)
        if value.isEmpty, required { fail(key, "'\(key)' is empty") }
        return value.isEmpty ? nil : value
    }

    mutating func int(_ key: String) -> Int? {
        guard let text = string(key) else { return nil }
        guard let value = Int(text) else { fail(key, "'\(key)' must be a whole number, not '\(text)'"); return nil }
        return value
    }

    mutating func bool(_ key: String) -> Bool {
        guard let node = node(key) else { return false }
        guard let value = node.bool else { fail(key, "'\(key)' must be true or false"); return false }
        return value
    }

    /// A list of strings; a single string is taken as a one-element list.
    mutating func strings(_ key: String) -> [String] {
        guard let node = node(key) else { return [] }
        if let scalar = node.scalar { return scalar.string.isEmpty ? [] : [scalar.string] }
        guard let sequence = node.sequence, sequence.allSatisfy({ $0.scalar != nil }) else {
            fail(key, "'\(key)' must be a list of text, like [jazz, soul]")
            return []
        }
        return sequence.compactMap { $0.scalar?.string }
    }

    /// A mapping of text to text (`social:`), sorted by key.
    mutating func stringMap(_ key: String) -> [String: String] {
        guard let node = node(key) else { return [:] }
        guard let mapping = node.mapping else { fail(key, "'\(key)' must be 'name: URL' lines"); return [:] }
        var result: [String: String] = [:]
        for (k, v) in mapping {
            guard let name = k.string, let value = v.scalar?.string else {
                fail(key, "'\(key)' must be 'name: URL' lines"); continue
            }
            result[name] = value
        }
        return result
    }

    /// A list of mappings (`streams:`), each read with its own line numbers.
    func list(_ key: String) -> [YAMLFields]? {
        guard let node = node(key), let sequence = node.sequence else { return nil }
        return sequence.map { YAMLFields(path: path, firstLine: firstLine, mapping: $0.mapping, lineNode: $0) }
    }

    private var lineNode: Node?
    /// The keys' lines (from 1) of a mapping `FlatYAML` composed (its nodes have no marks).
    private var keyLines: [String: Int]?
    /// The values of such a mapping by key.
    private var flatValues: [String: Node]?
    private init(path: String, firstLine: Int, mapping: Node.Mapping?, lineNode: Node? = nil) {
        self.path = path; self.firstLine = firstLine; self.mapping = mapping; self.lineNode = lineNode
    }

    /// Line of the list element itself (for errors about the element as a whole).
    var elementLine: Int { line(of: lineNode) }
    var isMapping: Bool { mapping != nil }
    private var fallbackLine: Int { lineNode == nil ? firstLine : elementLine }
}
