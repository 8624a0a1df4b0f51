public import LLMDevOpsMetrics
public import Prometheus

/// Registries with the W6 shape, one per contender, every series updated once.
public enum Contenders {
    /// The registry settings of every `ours` figure; the HTTP server changes `cacheTTL` only.
    public static let oursConfiguration = RegistryConfiguration(maxSeriesPerMetric: 1000, maxSeries: 1_000_000, exposeSelfMetrics: false)

    public static func ours(series: Int, configuration: RegistryConfiguration = oursConfiguration) async throws -> RegistryActor {
        let registry = RegistryActor(configuration: configuration)
        for family in Workload.registryShape(series: series) {
            let help = "Help for \(family.name)."
            switch family.kind {
            case .counter:
                let counters = try await registry.makeCounterFamily(name: family.name, help: help, labelNames: family.labelNames)
                for values in family.labelSets { try await counters.labels(values: values).increment(by: 3) }
            case .gauge:
                let gauges = try await registry.makeGaugeFamily(name: family.name, help: help, labelNames: family.labelNames)
                for values in family.labelSets { try await gauges.labels(values: values).set(to: 42.5) }
            case .histogram:
                let histograms = try await registry.makeHistogramFamily(
                    name: family.name,
                    help: help,
                    labelNames: family.labelNames,
                    buckets: Workload.renderBuckets
                )
                for values in family.labelSets { try await histograms.labels(values: values).observe(0.3) }
            }
        }
        return registry
    }

    public static func swiftPrometheus(series: Int) -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        for family in Workload.registryShape(series: series) {
            let help = "Help for \(family.name)."
            for values in family.labelSets {
                let labels = Array(zip(family.labelNames, values))
                switch family.kind {
                case .counter:
                    registry.makeCounter(name: family.name, labels: labels, help: help).increment(by: Int64(3))
                case .gauge:
                    registry.makeGauge(name: family.name, labels: labels, help: help).set(to: 42.5)
                case .histogram:
                    registry.makeValueHistogram(name: family.name, labels: labels, buckets: Workload.renderBuckets, help: help)
                        .record(0.3)
                }
            }
        }
        return registry
    }
}
