/// A sample of one observation with its trace context, exposed in OpenMetrics after counter
/// `_total` and histogram `_bucket` samples: `... # {trace_id="abc"} 0.42 1700000000.123`.
public struct Exemplar: Sendable, Hashable {
    /// Exemplar labels, typically `trace_id` and `span_id`.
    public var labels: [String: String]
    /// The observed value (the increment for counters).
    public var value: Double
    /// When it was recorded, in seconds since the Unix epoch.
    public var timestamp: Double?

    /// Creates an exemplar.
    public init(labels: [String: String], value: Double, timestamp: Double? = nil) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}
