import LLMDevOpsCollectors

/// Where each part of the `llm` and `agent` sections was written: the YAML key path and line
/// of every key path of `CollectorsConfiguration` that its validation can name (`llm.models[2].price`
/// is `prometheus_metrics.llm.models[2].price`, line 14). The loader validates the assembled
/// vocabulary with `CollectorsConfiguration.validate()`, so the library and the YAML apply the
/// same rules, and turns its `CollectorsError` into a ``ConfigurationError`` with this map.
struct VocabularyLocations {
    private var entries: [String: (path: String, line: Int?)] = [:]

    /// Records that the library's `key` was written at `path`, `line`.
    mutating func record(_ key: String, _ path: String, _ line: Int?) {
        entries[key] = (path, line)
    }

    /// The configuration error for `error`: the YAML key path of its key (or of the nearest
    /// enclosing key that was written), its reason, and the line.
    func configurationError(for error: CollectorsError) -> ConfigurationError {
        var key = error.key ?? ""
        while !key.isEmpty {
            if let (path, line) = entries[key] {
                return ConfigurationError(.invalidValue, key: path, "\(error.detail)\(ConfigReader.at(line))")
            }
            key = Self.parent(of: key)
        }
        let path = error.key.map { "prometheus_metrics.\($0)" } ?? "prometheus_metrics"
        return ConfigurationError(.invalidValue, key: path, error.detail)
    }

    /// `llm.models[2].price` → `llm.models[2]` → `llm.models` → `llm` → "".
    private static func parent(of key: String) -> String {
        if key.hasSuffix("]"), let open = key.lastIndex(of: "[") { return String(key[..<open]) }
        if let dot = key.lastIndex(of: ".") { return String(key[..<dot]) }
        return ""
    }
}
