internal import Yams

/// A parsed YAML document reduced to what the schema reads: scalars as text, mappings in file
/// order, sequences, and null. Lines are 1-based, for error messages.
indirect enum ConfigNode: Sendable {
    case scalar(String, line: Int?)
    case mapping([(key: String, value: ConfigNode)], line: Int?)
    case sequence([ConfigNode], line: Int?)
    case null

    /// Parses `text`; throws a one-line ``ConfigurationError`` naming `file` when it is not YAML.
    static func parse(_ text: String, file: String) throws(ConfigurationError) -> ConfigNode {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            let summary = String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "unparsable"
            throw ConfigurationError(.malformedYAML, key: file, "malformed YAML: \(summary)")
        }
        guard let node else { return .null }
        return try convert(node, file: file)
    }

    private static func convert(_ node: Node, file: String) throws(ConfigurationError) -> ConfigNode {
        let line = node.mark.map(\.line)
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return .null }
            return .scalar(scalar.string, line: line)
        case .mapping(let mapping):
            var entries: [(key: String, value: ConfigNode)] = []
            var seen: Set<String> = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw ConfigurationError(.malformedYAML, key: file, "line \(line ?? 0): mapping keys must be scalars")
                }
                guard seen.insert(keyScalar.string).inserted else {
                    throw ConfigurationError(
                        .malformedYAML, key: file, "line \(key.mark?.line ?? 0): duplicate key '\(keyScalar.string)'")
                }
                entries.append((keyScalar.string, try convert(value, file: file)))
            }
            return .mapping(entries, line: line)
        case .sequence(let sequence):
            var items: [ConfigNode] = []
            for item in sequence { items.append(try convert(item, file: file)) }
            return .sequence(items, line: line)
        case .alias:
            throw ConfigurationError(.malformedYAML, key: file, "line \(line ?? 0): aliases are not supported")
        }
    }

    /// What the node is, for "expected a mapping, got a sequence" messages.
    var kind: String {
        switch self {
        case .scalar: "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a sequence"
        case .null: "null"
        }
    }

    var line: Int? {
        switch self {
        case .scalar(_, let line), .mapping(_, let line), .sequence(_, let line): line
        case .null: nil
        }
    }
}
