public import LLMDevOpsCollectors

extension ServiceConfiguration {
    /// `base` with the collector settings of this configuration: which collectors run
    /// (`collectors`, the samplers' `*_interval_ms`), the series cap per family (`cardinality.max_per_metric`), the LLM
    /// and agent vocabularies (`llm`, `agent`), the latency histograms' native buckets
    /// (`native_histograms`). What the file does not describe (buffer size, registry,
    /// swift-metrics, runtime version) stays as in `base`.
    ///
    /// ```swift
    /// let collectors = try await MetricsCollectors(
    ///     configuration: configuration.applyingCollectorSettings(to: CollectorsConfiguration()), logger: logger)
    /// try await collectors.reload(next.applyingCollectorSettings(to: collectors.configuration))   // on SIGHUP
    /// ```
    public func applyingCollectorSettings(to base: CollectorsConfiguration) -> CollectorsConfiguration {
        var result = base
        result.llm = llm
        result.llm.isEnabled = collectors.llm
        result.agent = agent
        result.agent.isEnabled = collectors.agent
        result.process.isEnabled = collectors.process
        result.process.samplingInterval = .milliseconds(collectors.processIntervalMilliseconds)
        result.runtime.isEnabled = collectors.runtime
        result.runtime.samplingInterval = .milliseconds(collectors.runtimeIntervalMilliseconds)
        result.maxSeriesPerMetric = cardinality.maxPerMetric
        result.nativeHistograms = nativeHistograms.options
        return result
    }
}
