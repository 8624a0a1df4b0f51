import LLMDevOpsMetrics

/// The per-source health series of the `/proc` samplers:
/// `llmdevops_process_read_errors_total{source}` (reads that failed or could not be parsed) and
/// `llmdevops_process_read_stalled{source}` (1 while a read has not returned since before the
/// last tick). Both samplers register the same two families; each creates the series of its
/// own sources, at zero, when it is built.
struct ProcSourceHealth: Sendable {
    static let readErrorsName = "llmdevops_process_read_errors_total"
    static let stalledName = "llmdevops_process_read_stalled"

    private let errors: [String: CounterMetric]
    private let stalled: [String: GaugeMetric]

    /// Registers (or finds) the two families and creates the series of `sources`.
    static func register(
        in registry: RegistryActor,
        sources: [String]
    ) async throws(MetricsError) -> ProcSourceHealth {
        let errorFamily = try await registry.makeCounterFamily(
            name: readErrorsName,
            help: "Reads of a /proc source that failed or could not be parsed; "
                + "the metrics from that source are left out of the scrape.",
            labelNames: ["source"]
        )
        let stalledFamily = try await registry.makeGaugeFamily(
            name: stalledName,
            help: "1 while a read of this /proc source has not returned since before the last sampling tick "
                + "(blocked or slower than the interval); the metrics from that source are left out until it returns.",
            labelNames: ["source"]
        )
        var errors: [String: CounterMetric] = [:]
        var stalled: [String: GaugeMetric] = [:]
        for source in sources {
            errors[source] = try await errorFamily.labels(values: [source])
            let gauge = try await stalledFamily.labels(values: [source])
            gauge.set(to: 0)
            stalled[source] = gauge
        }
        return ProcSourceHealth(errors: errors, stalled: stalled)
    }

    /// Counts a failed read of `source`.
    func countError(_ source: String) {
        errors[source]?.increment()
    }

    /// Marks `source` stalled or not.
    func setStalled(_ source: String, _ isStalled: Bool) {
        stalled[source]?.set(to: isStalled ? 1 : 0)
    }
}
