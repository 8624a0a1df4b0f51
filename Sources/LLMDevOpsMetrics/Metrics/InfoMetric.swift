import Synchronization

/// One info series: its labels carry the information and its value is always 1, as in
/// `llmdevops_build_info{version="1.2.0",revision="abc"} 1`.
public final class InfoMetric: MetricSeries {
    /// Info metrics.
    public static var metricType: MetricType { .info }

    private let detached = Atomic<Bool>(false)

    /// Creates the series.
    public init(context: SeriesContext) {}

    /// Info series have nothing to snapshot but their presence.
    public func snapshot(into counts: inout BucketCounts) -> SeriesValue {
        SeriesValue(.info)
    }

    /// Info series never change, so they never count as idle.
    public func consumeActivity() -> Bool { true }

    /// Stops exporting this series.
    public func markDetached() {
        detached.store(true, ordering: .relaxed)
    }

    /// False when the series is not exported (see ``MetricSeries/isExported``).
    public var isExported: Bool {
        !detached.load(ordering: .relaxed)
    }
}
