public import LLMDevOpsMetrics

/// Settings of ``RegistryMetricsFactory``, the swift-metrics backend.
public struct SwiftMetricsBackendConfiguration: Sendable {
    /// Buckets (seconds) of histograms made for `Timer`s.
    public var timerBuckets: [Double]
    /// Buckets of histograms made for aggregating `Recorder`s.
    public var recorderBuckets: [Double]
    /// Buckets for particular families, by exported (sanitised) name, such as
    /// `http_server_request_duration_seconds`.
    public var bucketsByLabel: [String: [Double]]
    /// Observations a histogram handler keeps while its series is being created; more are
    /// dropped and counted.
    public var maxPendingObservations: Int
    /// Export dimension values that look like secrets or e-mail addresses as `_redacted`,
    /// counted in `llmdevops_registry_label_redactions_total` (see `LabelValueScreen`).
    public var screensLabelValues: Bool

    /// Creates a configuration; both bucket sets default to client_golang's.
    public init(
        timerBuckets: [Double] = HistogramBuckets.default,
        recorderBuckets: [Double] = HistogramBuckets.default,
        bucketsByLabel: [String: [Double]] = [:],
        maxPendingObservations: Int = 4096,
        screensLabelValues: Bool = true
    ) {
        self.timerBuckets = timerBuckets
        self.recorderBuckets = recorderBuckets
        self.bucketsByLabel = bucketsByLabel
        self.maxPendingObservations = maxPendingObservations
        self.screensLabelValues = screensLabelValues
    }
}
