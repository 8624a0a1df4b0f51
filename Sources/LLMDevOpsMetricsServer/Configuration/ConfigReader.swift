/// Reads one mapping of the configuration: typed values with range checks, environment
/// overrides by key path, and an error for every key it was not asked about.
final class ConfigReader {
    let path: String
    let entries: [(key: String, value: ConfigNode)]
    let environment: EnvironmentOverrides
    /// What an error about the mapping itself names: its key path, or for the document root
    /// (an empty path) the file, so that no error has an empty key.
    let name: String
    private(set) var consumed: Set<String> = []

    /// A reader for the mapping at `path`; `file` names the document in errors about its root.
    init(
        path: String,
        node: ConfigNode,
        environment: EnvironmentOverrides,
        file: String = ""
    ) throws(ConfigurationError) {
        self.path = path
        self.environment = environment
        name = path.isEmpty ? file : path
        switch node {
        case .mapping(let entries, _): self.entries = entries
        case .null: self.entries = []
        default:
            let expected = path.isEmpty ? "expected a mapping at the top of the document" : "expected a mapping"
            throw ConfigurationError(.invalidValue, key: name, "\(expected), got \(node.kind)\(Self.at(node.line))")
        }
    }

    /// A reader for a whole document: errors about its root name `file`.
    static func document(_ node: ConfigNode, file: String, environment: EnvironmentOverrides) throws(ConfigurationError)
        -> ConfigReader
    {
        try ConfigReader(path: "", node: node, environment: environment, file: file)
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    static func at(_ line: Int?) -> String { line.map { " (line \($0))" } ?? "" }

    /// The raw text for `key`: the environment override, else the file's scalar, else nil.
    func scalar(_ key: String) throws(ConfigurationError) -> (text: String, source: String)? {
        consumed.insert(key)
        let fullKey = keyPath(key)
        if let override = environment.value(for: fullKey) {
            return (override.value, " (from \(override.variable))")
        }
        guard let node = entries.first(where: { $0.key == key })?.value else { return nil }
        switch node {
        case .scalar(let text, let line): return (text, Self.at(line))
        case .null: return nil
        default:
            throw ConfigurationError(.invalidValue, key: fullKey, "expected a scalar, got \(node.kind)\(Self.at(node.line))")
        }
    }

    func bool(_ key: String, default value: Bool) throws(ConfigurationError) -> Bool {
        guard let (text, source) = try scalar(key) else { return value }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default:
            throw ConfigurationError(.invalidValue, key: keyPath(key), "expected true or false, got '\(text)'\(source)")
        }
    }

    func int(_ key: String, default value: Int, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let (text, source) = try scalar(key) else { return value }
        guard let parsed = Int(text) else {
            throw ConfigurationError(.invalidValue, key: keyPath(key), "expected an integer, got '\(text)'\(source)")
        }
        guard range.contains(parsed) else {
            throw ConfigurationError(.invalidValue, key: keyPath(key), "\(Self.describe(range)), got \(parsed)\(source)")
        }
        return parsed
    }

    /// An integer that may be absent or null (then nil).
    func optionalInt(_ key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard try scalar(key) != nil else { return nil }
        return try int(key, default: 0, in: range)
    }

    func double(_ key: String, default value: Double, minimumExclusive: Double, maximum: Double) throws(ConfigurationError) -> Double {
        guard let (text, source) = try scalar(key) else { return value }
        guard let parsed = Double(text), parsed.isFinite else {
            throw ConfigurationError(.invalidValue, key: keyPath(key), "expected a number, got '\(text)'\(source)")
        }
        guard parsed > minimumExclusive, parsed <= maximum else {
            throw ConfigurationError(
                .invalidValue, key: keyPath(key),
                "must be greater than \(minimumExclusive) and at most \(maximum), got \(parsed)\(source)")
        }
        return parsed
    }

    /// A string; `validate` returns a reason to reject it, or nil.
    func string(
        _ key: String,
        default value: String,
        validate: (String) -> String? = { _ in nil }
    ) throws(ConfigurationError) -> String {
        guard let (text, source) = try scalar(key) else { return value }
        if let reason = validate(text) {
            throw ConfigurationError(.invalidValue, key: keyPath(key), "\(reason)\(source)")
        }
        return text
    }

    /// A sequence of strings (not overridable from the environment).
    func strings(_ key: String) throws(ConfigurationError) -> [String]? {
        consumed.insert(key)
        guard let node = entries.first(where: { $0.key == key })?.value else { return nil }
        switch node {
        case .null: return nil
        case .sequence(let items, _):
            var strings: [String] = []
            for item in items {
                guard case .scalar(let text, _) = item else {
                    throw ConfigurationError(
                        .invalidValue, key: keyPath(key), "expected a list of strings, found \(item.kind)\(Self.at(node.line))")
                }
                strings.append(text)
            }
            return strings
        default:
            throw ConfigurationError(.invalidValue, key: keyPath(key), "expected a list, got \(node.kind)\(Self.at(node.line))")
        }
    }

    /// The nested mapping under `key` (empty when absent).
    func section(_ key: String) throws(ConfigurationError) -> ConfigReader {
        consumed.insert(key)
        let node = entries.first(where: { $0.key == key })?.value ?? .null
        return try ConfigReader(path: keyPath(key), node: node, environment: environment)
    }

    /// Every entry of the mapping under `key`, each as a reader.
    func sections(_ key: String) throws(ConfigurationError) -> [(name: String, reader: ConfigReader)] {
        let outer = try section(key)
        var result: [(name: String, reader: ConfigReader)] = []
        for (name, _) in outer.entries {
            result.append((name, try outer.section(name)))
        }
        return result
    }

    /// Marks `key` as read (for readers that take the node itself).
    func markRead(_ key: String) {
        consumed.insert(key)
    }

    /// Throws for the first key of this mapping that nobody read.
    func finish() throws(ConfigurationError) {
        if let unknown = entries.first(where: { !consumed.contains($0.key) }) {
            let key = keyPath(unknown.key)
            // An empty key at the top of the document: name the file, and the key in the reason.
            throw ConfigurationError(
                .unknownKey, key: key.isEmpty ? name : key,
                "unknown key\(key.isEmpty ? " ''" : "")\(Self.at(unknown.value.line))")
        }
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == .max { return "must be at least \(range.lowerBound)" }
        return "must be between \(range.lowerBound) and \(range.upperBound)"
    }
}
