import HTTPTypes
import LLMDevOpsMetrics

/// The HTTP endpoint's own metrics, registered in the registry as ordinary families. Cache
/// hits and misses come from the registry itself (`llmdevops_exporter_cache_*`).
struct ExporterSelfMetrics: Sendable {
    let scrapes: CounterFamily
    let duration: HistogramMetric
    let inFlight: GaugeMetric
    let authFailures: CounterFamily
    let rateLimited: CounterMetric

    static func register(in registry: RegistryActor) async throws(MetricsError) -> ExporterSelfMetrics {
        let metrics = ExporterSelfMetrics(
            scrapes: try await registry.makeCounterFamily(
                name: "llmdevops_exporter_scrapes_total",
                help: "Requests to the metrics endpoint, by negotiated format and HTTP status code.",
                labelNames: ["format", "code"]
            ),
            duration: try await registry.makeHistogram(
                name: "llmdevops_exporter_scrape_duration_seconds",
                help: "Time to answer a request to the metrics endpoint.",
                unit: "seconds",
                buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
            ),
            inFlight: try await registry.makeGauge(
                name: "llmdevops_exporter_requests_in_flight",
                help: "Requests to the metrics endpoint being answered."
            ),
            authFailures: try await registry.makeCounterFamily(
                name: "llmdevops_exporter_auth_failures_total",
                help: "Requests refused by authentication (401) or authorisation (403), by reason.",
                labelNames: ["reason"]
            ),
            rateLimited: try await registry.makeCounter(
                name: "llmdevops_exporter_rate_limited_total",
                help: "Requests refused with 429 by the per-client rate limit."
            )
        )
        // Like promhttp, start the successful-scrape series at 0 for every format, so that both
        // formats expose the same series from the first scrape on.
        for format in ExpositionFormat.allCases {
            _ = try await metrics.scrapes.labels(values: [format.rawValue, "200"])
        }
        return metrics
    }

    func recordScrape(format: ExpositionFormat, status: HTTPResponse.Status, seconds: Double) async {
        try? await scrapes.labels(values: [format.rawValue, String(status.code)]).increment()
        duration.observe(seconds)
    }

    func recordAuthFailure(_ failure: AuthenticationFailure) async {
        try? await authFailures.labels(values: [failure.reason]).increment()
    }
}
