/// A series type that a ``MetricFamily`` holds. Implemented by ``CounterMetric``,
/// ``GaugeMetric``, ``HistogramMetric`` and ``InfoMetric``; other types cannot conform because
/// ``SeriesContext`` and ``SeriesValue`` have no public initialisers.
public protocol MetricSeries: AnyObject, Sendable {
    /// The metric type of families that hold this series type.
    static var metricType: MetricType { get }
    /// Creates a series whose values start at zero.
    init(context: SeriesContext)
    /// A self-consistent copy of the current values; histograms put their bucket counts in `counts`.
    func snapshot(into counts: inout BucketCounts) -> SeriesValue
    /// Whether the series was updated since the last call; clears the mark.
    func consumeActivity() -> Bool
    /// Marks the series as no longer exported (removed, expired or rejected by a limit).
    func markDetached()
    /// False when the series is not exported: it was rejected by a cardinality limit, removed,
    /// or expired. Updates to it are accepted and go nowhere; resolve the labels again.
    var isExported: Bool { get }
}
