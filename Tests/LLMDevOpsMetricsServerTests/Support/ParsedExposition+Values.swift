import LLMDevOpsMetricsTesting

extension ParsedExposition {
    /// The value of a sample, 0 when it is not exposed (a series that was never touched).
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double {
        sample(named: name, labels: labels)?.value ?? 0
    }

    /// The distinct values of `label` among samples named `name`.
    func labelValues(_ name: String, _ label: String) -> Set<String> {
        Set(samples.filter { $0.name == name }.compactMap { $0.labels[label] })
    }
}
