/// Registry-wide settings. The defaults follow the design: 1000 series per metric, 10,000 in all,
/// a 1000 ms exposition cache, no `_created` samples.
public struct RegistryConfiguration: Sendable {
    /// Series one family may hold unless its ``FamilyOptions`` say otherwise.
    public var maxSeriesPerMetric: Int
    /// Series all families together may hold.
    public var maxSeries: Int
    /// How long a rendered exposition is served from the cache; `.zero` disables the cache.
    public var cacheTTL: Duration
    /// Emit OpenMetrics `_created` samples for counters and histograms.
    public var exposeCreatedSamples: Bool
    /// At most one warning per this interval about rejected series.
    public var rejectionLogInterval: Duration
    /// Time source for timestamps, the cache TTL and idle-series expiry.
    public var clock: MetricsClock
    /// Expose the `llmdevops_registry_*` and `llmdevops_exporter_cache_*` self-metrics. Their
    /// names stay reserved either way.
    public var exposeSelfMetrics: Bool
    /// Screen the label values of every family for secrets and e-mail addresses (see
    /// ``LabelValueScreen``) unless its ``FamilyOptions/screensLabelValues`` says otherwise.
    /// Off by default: it costs a scan of each new label set.
    public var screensLabelValues: Bool

    /// Creates a configuration.
    public init(
        maxSeriesPerMetric: Int = 1000,
        maxSeries: Int = 10_000,
        cacheTTL: Duration = .milliseconds(1000),
        exposeCreatedSamples: Bool = false,
        rejectionLogInterval: Duration = .seconds(60),
        clock: MetricsClock = .system,
        exposeSelfMetrics: Bool = true,
        screensLabelValues: Bool = false
    ) {
        self.maxSeriesPerMetric = maxSeriesPerMetric
        self.maxSeries = maxSeries
        self.cacheTTL = cacheTTL
        self.exposeCreatedSamples = exposeCreatedSamples
        self.rejectionLogInterval = rejectionLogInterval
        self.clock = clock
        self.exposeSelfMetrics = exposeSelfMetrics
        self.screensLabelValues = screensLabelValues
    }
}
