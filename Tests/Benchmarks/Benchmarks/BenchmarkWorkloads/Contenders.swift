public import LLMDevOpsMetrics
public import Prometheus

/// Registries with the W6 shape (``Workload/registryShape(series:)``), one per contender, holding
/// identical label sets and values.
public enum Contenders {
    /// The registry settings of every `ours` figure; the HTTP server changes `cacheTTL` only.
    public static let oursConfiguration = RegistryConfiguration(maxSeriesPerMetric: 1000, maxSeries: 1_000_000, exposeSelfMetrics: false)

    public static func ours(series: Int, configuration: RegistryConfiguration = oursConfiguration) async throws -> RegistryActor {
        let registry = RegistryActor(configuration: configuration)
        for family in Workload.registryShape(series: series) {
            switch family.kind {
            case .counter:
                let counters = try await registry.makeCounterFamily(name: family.name, help: family.help, labelNames: family.labelNames)
                for series in family.series {
                    guard case .counter(let amount) = series.values else { continue }
                    try await counters.labels(values: series.labelValues).increment(by: amount)
                }
            case .gauge:
                let gauges = try await registry.makeGaugeFamily(name: family.name, help: family.help, labelNames: family.labelNames)
                for series in family.series {
                    guard case .gauge(let value) = series.values else { continue }
                    try await gauges.labels(values: series.labelValues).set(to: value)
                }
            case .histogram:
                let histograms = try await registry.makeHistogramFamily(
                    name: family.name,
                    help: family.help,
                    labelNames: family.labelNames,
                    buckets: Workload.renderBuckets
                )
                for series in family.series {
                    guard case .histogram(let observations) = series.values else { continue }
                    let histogram = try await histograms.labels(values: series.labelValues)
                    for value in observations { histogram.observe(value) }
                }
            }
        }
        return registry
    }

    public static func swiftPrometheus(series: Int) -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        for family in Workload.registryShape(series: series) {
            for series in family.series {
                let labels = Array(zip(family.labelNames, series.labelValues))
                switch series.values {
                case .counter(let amount):
                    registry.makeCounter(name: family.name, labels: labels, help: family.help).increment(by: Int64(amount))
                case .gauge(let value):
                    registry.makeGauge(name: family.name, labels: labels, help: family.help).set(to: value)
                case .histogram(let observations):
                    let histogram = registry.makeValueHistogram(
                        name: family.name,
                        labels: labels,
                        buckets: Workload.renderBuckets,
                        help: family.help
                    )
                    for value in observations { histogram.record(value) }
                }
            }
        }
        return registry
    }
}
