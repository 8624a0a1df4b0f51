/// A series handle that a ``MetricFamily`` returns: ``CounterMetric``, ``GaugeMetric``,
/// ``HistogramMetric`` or ``InfoMetric``.
///
/// The registry creates families of these four types only; conforming another type to this
/// protocol gives it nothing to be used with. What the library does with a series besides
/// recording (creating it, reading it for a render, expiring and detaching it) is not part of
/// the public API.
public protocol MetricSeries: AnyObject, Sendable {
    /// The metric type of families that hold this series type.
    static var metricType: MetricType { get }
    /// False when the series is not exported: it was rejected by a cardinality limit, removed,
    /// or expired. Updates to it are accepted and go nowhere; resolve the labels again.
    var isExported: Bool { get }
}
