/// The environment variables that override configuration keys, and which of them were used.
///
/// A key path maps to a variable by upper-casing it and turning `.` and `-` into `_`:
/// `prometheus_metrics.endpoint.port` is `PROMETHEUS_METRICS_ENDPOINT_PORT`. Variables with the
/// `PROMETHEUS_METRICS_` prefix that match no key are reported as unknown keys.
final class EnvironmentOverrides {
    static let prefix = "PROMETHEUS_METRICS_"

    private var values: [String: String]
    private var used: Set<String> = []

    init(environment: [String: String]) {
        values = environment.filter { $0.key.hasPrefix(Self.prefix) }
    }

    static func variableName(for keyPath: String) -> String {
        String(keyPath.uppercased().map { $0 == "." || $0 == "-" ? "_" : $0 })
    }

    /// The override for `keyPath`, marking it used.
    func value(for keyPath: String) -> (variable: String, value: String)? {
        let name = Self.variableName(for: keyPath)
        guard let value = values[name] else { return nil }
        used.insert(name)
        return (name, value)
    }

    /// Unused variables that start with `prefix` and end with `suffix`, sorted; marks them used.
    func claim(prefix: String, suffix: String) -> [(variable: String, middle: String, value: String)] {
        var claimed: [(variable: String, middle: String, value: String)] = []
        for (name, value) in values.sorted(by: { $0.key < $1.key })
        where !used.contains(name) && name.hasPrefix(prefix) && name.hasSuffix(suffix)
            && name.count > prefix.count + suffix.count
        {
            used.insert(name)
            claimed.append((name, String(name.dropFirst(prefix.count).dropLast(suffix.count)), value))
        }
        return claimed
    }

    /// The first variable with the prefix that no key used.
    var firstUnused: String? {
        values.keys.filter { !used.contains($0) }.sorted().first
    }
}
