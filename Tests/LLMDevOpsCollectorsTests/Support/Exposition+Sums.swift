import LLMDevOpsMetricsTesting

extension ParsedExposition {
    /// The value of a sample, 0 when it is not exposed (a series that was never touched).
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double {
        sample(named: name, labels: labels)?.value ?? 0
    }

    /// The sum of every sample with this name whose labels include `matching`.
    func sum(_ name: String, matching: [String: String] = [:]) -> Double {
        samples.filter { sample in
            sample.name == name && matching.allSatisfy { sample.labels[$0.key] == $0.value }
        }.reduce(0) { $0 + $1.value }
    }

    /// The distinct values of `label` among samples named `name`.
    func labelValues(_ name: String, _ label: String) -> Set<String> {
        Set(samples.filter { $0.name == name }.compactMap { $0.labels[label] })
    }
}
