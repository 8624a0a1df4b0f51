/// A typed error from registering or resolving a metric. Nothing in this library traps on bad
/// input: every rejected registration or label set surfaces as one of these.
///
/// Match on ``code``:
/// ```swift
/// do { _ = try await registry.makeCounter(name: "bad-name") }
/// catch let error as MetricsError where error.code == .invalidMetricName { ... }
/// ```
public struct MetricsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, independent of the metric it happened to.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidMetricName
            case invalidLabelName
            case reservedLabelName
            case duplicateLabelName
            case invalidUnit
            case invalidBuckets
            case typeMismatch
            case helpMismatch
            case unitMismatch
            case labelNamesMismatch
            case bucketsMismatch
            case sampleNameClash
            case labelSetMismatch
            case invalidCollector
            case invalidNativeHistogram
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The name does not match `[a-zA-Z_][a-zA-Z0-9_]*` (colons are reserved for recording rules).
        public static let invalidMetricName = Code(.invalidMetricName)
        /// A label name does not match `[a-zA-Z_][a-zA-Z0-9_]*`.
        public static let invalidLabelName = Code(.invalidLabelName)
        /// A label name is reserved: a `__` prefix, `quantile`, or `le` on a histogram.
        public static let reservedLabelName = Code(.reservedLabelName)
        /// The same label name appears twice.
        public static let duplicateLabelName = Code(.duplicateLabelName)
        /// The unit is not a valid name part, or the metric name does not end in `_<unit>`.
        public static let invalidUnit = Code(.invalidUnit)
        /// Histogram buckets contain NaN, or a helper got parameters that produce no valid buckets.
        public static let invalidBuckets = Code(.invalidBuckets)
        /// The name is already registered with another metric type.
        public static let typeMismatch = Code(.typeMismatch)
        /// The name is already registered with another help text.
        public static let helpMismatch = Code(.helpMismatch)
        /// The name is already registered with another unit.
        public static let unitMismatch = Code(.unitMismatch)
        /// The name is already registered with other label names.
        public static let labelNamesMismatch = Code(.labelNamesMismatch)
        /// The name is already registered with other histogram buckets.
        public static let bucketsMismatch = Code(.bucketsMismatch)
        /// A sample or family name of this metric is already produced by another family
        /// (for example a gauge `foo_count` next to a histogram `foo`).
        public static let sampleNameClash = Code(.sampleNameClash)
        /// The labels given for a series are not exactly the family's label names.
        public static let labelSetMismatch = Code(.labelSetMismatch)
        /// A pull collector declared no metrics, or a metric twice.
        public static let invalidCollector = Code(.invalidCollector)
        /// ``NativeHistogramOptions`` outside their accepted ranges.
        public static let invalidNativeHistogram = Code(.invalidNativeHistogram)

        /// The code's name, for logs and test output.
        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// The metric the error is about, as the caller spelled it; `nil` when the error is not
    /// about one (the ``HistogramBuckets`` helpers).
    public let metricName: String?
    /// A readable explanation naming the offending part.
    public let detail: String

    init(_ code: Code, metric: String?, _ detail: String) {
        self.code = code
        self.metricName = metric
        self.detail = detail
    }

    /// `code for metric 'name': detail`, or `code: detail` when no metric is involved.
    public var description: String {
        guard let metricName else { return "\(code): \(detail)" }
        return "\(code) for metric '\(metricName)': \(detail)"
    }
}
