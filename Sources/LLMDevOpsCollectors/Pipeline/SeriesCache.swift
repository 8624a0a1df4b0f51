import LLMDevOpsMetrics

/// A consumer-owned table from encoded label values to series handles, so that after the first
/// event with a label set the consumer records without awaiting the family actor.
///
/// Keys are integers that encode the positions of the label values in their closed enums and
/// configured allow-lists; the caller supplies the label values only when the series is new.
/// Handles are kept for the collector's lifetime (the collector's families have no idle TTL).
final class SeriesCache<Metric: MetricSeries> {
    let family: MetricFamily<Metric>
    private var handles: [Int: Metric] = [:]

    init(_ family: MetricFamily<Metric>) {
        self.family = family
    }

    /// The handle for `key`, resolving `labelValues()` (in the family's label order) on first use.
    func series(_ key: Int, _ labelValues: () -> [String]) async -> Metric? {
        if let handle = handles[key] { return handle }
        // Only a wrong number of label values throws, and every caller passes exactly the
        // family's label count; a nil result just skips the update.
        guard let handle = try? await family.labels(values: labelValues()) else { return nil }
        handles[key] = handle
        return handle
    }

    /// The number of cached handles.
    var count: Int { handles.count }
}
