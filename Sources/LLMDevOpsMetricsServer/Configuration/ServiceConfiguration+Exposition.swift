public import LLMDevOpsMetrics

extension ServiceConfiguration {
    /// `prometheus_metrics.formats`: the exposition formats `/metrics` offers. Text 0.0.4 is
    /// always offered: it answers requests that accept nothing else offered.
    public struct Formats: Sendable, Hashable {
        /// `protobuf`: offer the protobuf format (the only one with native histograms).
        public var protobuf = true
        /// `openmetrics`: offer OpenMetrics 1.0.
        public var openMetrics = true
        /// Creates the defaults.
        public init() {}

        /// The formats offered to `ExpositionFormat.negotiate(accept:offering:)`.
        public var offered: Set<ExpositionFormat> {
            var formats: Set<ExpositionFormat> = [.prometheusText]
            if protobuf { formats.insert(.protobuf) }
            if openMetrics { formats.insert(.openMetrics) }
            return formats
        }
    }

    /// `prometheus_metrics.native_histograms`: native buckets beside the classic ones for the
    /// collectors' latency histograms (`llmdevops_llm_request_duration_seconds`,
    /// `llmdevops_llm_time_to_first_token_seconds`, `llmdevops_llm_time_per_output_token_seconds`,
    /// `llmdevops_agent_tool_call_duration_seconds`, `llmdevops_agent_execution_duration_seconds`).
    public struct NativeHistograms: Sendable, Hashable {
        /// `enabled`: keep native buckets (served in the protobuf format only).
        public var enabled = true
        /// `bucket_factor`: the largest growth from one bucket boundary to the next.
        public var bucketFactor = 1.1
        /// `max_buckets`: the most buckets one series may span before halving its resolution.
        public var maxBuckets = 160
        /// `zero_threshold`: observations up to this (absolute) go to the zero bucket.
        public var zeroThreshold = NativeHistogramOptions.defaultZeroThreshold
        /// Creates the defaults.
        public init() {}

        /// The family options these settings stand for; nil when disabled.
        public var options: NativeHistogramOptions? {
            guard enabled else { return nil }
            return NativeHistogramOptions(
                bucketFactor: bucketFactor,
                maxBucketCount: maxBuckets,
                zeroThreshold: zeroThreshold
            )
        }
    }
}
