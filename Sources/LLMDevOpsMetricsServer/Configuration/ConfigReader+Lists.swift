/// Lists, lists of mappings and numbers: what `prometheus_metrics.llm` and `.agent` need.
/// List entries are not overridable from the environment (their readers get no overrides);
/// each is named by position, `prometheus_metrics.llm.models[2]`, in errors.
extension ConfigReader {
    /// The node under `key`, marking it read; nil when absent or null.
    func node(_ key: String) -> ConfigNode? {
        markRead(key)
        guard let node = entries.first(where: { $0.key == key })?.value else { return nil }
        if case .null = node { return nil }
        return node
    }

    /// The line of `key`'s value in the file, if it has one.
    func line(of key: String) -> Int? {
        entries.first(where: { $0.key == key })?.value.line
    }

    /// The entries of the sequence under `key`, each with its key path (`key[i]`); nil when
    /// absent or null.
    func list(_ key: String) throws(ConfigurationError) -> [(path: String, node: ConfigNode)]? {
        guard let node = node(key) else { return nil }
        return try Self.items(of: node, path: keyPath(key))
    }

    /// The entries of `node`, which must be a sequence, each with its key path.
    static func items(of node: ConfigNode, path: String) throws(ConfigurationError) -> [(
        path: String, node: ConfigNode
    )] {
        guard case .sequence(let items, _) = node else {
            throw ConfigurationError(.invalidValue, key: path, "expected a list, got \(node.kind)\(at(node.line))")
        }
        return items.enumerated().map { ("\(path)[\($0.offset)]", $0.element) }
    }

    /// The text of a list entry that must be a scalar.
    static func text(of node: ConfigNode, path: String, what: String = "a string") throws(ConfigurationError) -> String
    {
        guard case .scalar(let text, _) = node else {
            throw ConfigurationError(.invalidValue, key: path, "expected \(what), got \(node.kind)\(at(node.line))")
        }
        return text
    }

    /// A reader for a list entry that must be a mapping (no environment overrides).
    static func item(_ node: ConfigNode, path: String) throws(ConfigurationError) -> ConfigReader {
        try ConfigReader(path: path, node: node, environment: EnvironmentOverrides(environment: [:]))
    }

    /// A finite number of at least 0; nil when absent or null.
    func nonNegativeNumber(_ key: String) throws(ConfigurationError) -> Double? {
        guard let (text, source) = try scalar(key) else { return nil }
        guard let number = Double(text), number.isFinite else {
            throw ConfigurationError(.invalidValue, key: keyPath(key), "expected a number, got '\(text)'\(source)")
        }
        guard number >= 0 else {
            throw ConfigurationError(.invalidValue, key: keyPath(key), "must not be negative, got \(text)\(source)")
        }
        return number
    }

    /// A string that may be absent or null (then nil).
    func optionalString(_ key: String) throws(ConfigurationError) -> String? {
        try scalar(key)?.text
    }

    /// A string that must be present and not empty.
    func requiredString(_ key: String, itemLine: Int? = nil) throws(ConfigurationError) -> String {
        guard let text = try scalar(key)?.text, !text.isEmpty else {
            throw ConfigurationError(.missingValue, key: keyPath(key), "required\(Self.at(line(of: key) ?? itemLine))")
        }
        return text
    }
}
