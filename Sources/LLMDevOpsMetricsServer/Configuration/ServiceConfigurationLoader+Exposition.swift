import LLMDevOpsMetrics

extension ServiceConfigurationLoader {
    /// `prometheus_metrics.formats`.
    static func readFormats(_ formats: ConfigReader) throws(ConfigurationError) -> ServiceConfiguration.Formats {
        var result = ServiceConfiguration.Formats()
        let defaults = result
        result.protobuf = try formats.bool("protobuf", default: defaults.protobuf)
        result.openMetrics = try formats.bool("openmetrics", default: defaults.openMetrics)
        try formats.finish()
        return result
    }

    /// `prometheus_metrics.native_histograms`, validated like `NativeHistogramOptions`.
    static func readNativeHistograms(
        _ native: ConfigReader
    ) throws(ConfigurationError) -> ServiceConfiguration.NativeHistograms {
        var result = ServiceConfiguration.NativeHistograms()
        let defaults = result
        result.enabled = try native.bool("enabled", default: defaults.enabled)
        let factorRange = NativeHistogramOptions.bucketFactorRange
        result.bucketFactor = try number(native, "bucket_factor", default: defaults.bucketFactor) { factor in
            NativeHistogramOptions(bucketFactor: factor).schema == nil
                ? "must be between \(factorRange.lowerBound) (schema 8) and \(factorRange.upperBound) (schema -4)" : nil
        }
        let bucketRange = NativeHistogramOptions.maxBucketCountRange
        result.maxBuckets = try native.int("max_buckets", default: defaults.maxBuckets, in: bucketRange)
        result.zeroThreshold = try number(native, "zero_threshold", default: defaults.zeroThreshold) { threshold in
            threshold >= 0 ? nil : "must not be negative"
        }
        try native.finish()
        return result
    }

    /// A finite number; `problem` returns why it is not accepted, or nil.
    private static func number(
        _ reader: ConfigReader,
        _ key: String,
        default value: Double,
        problem: (Double) -> String?
    ) throws(ConfigurationError) -> Double {
        let text = try reader.string(key, default: "\(value)") { text in
            guard let parsed = Double(text), parsed.isFinite else { return "expected a number, got '\(text)'" }
            return problem(parsed).map { "\($0), got \(parsed)" }
        }
        return Double(text) ?? value
    }
}
