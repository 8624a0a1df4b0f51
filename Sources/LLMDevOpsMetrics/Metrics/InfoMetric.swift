/// One info series: its labels carry the information and its value is always 1, as in
/// `llmdevops_build_info{version="1.2.0",revision="abc"} 1`.
public final class InfoMetric: MetricSeries, FamilySeries {
    /// Info metrics.
    public static var metricType: MetricType { .info }

    private let flags = SeriesFlags()

    /// Creates the series.
    init(context: SeriesContext) {}

    /// Info series have nothing to snapshot but their presence.
    func snapshot(into counts: inout BucketCounts) -> SeriesValue {
        SeriesValue(.info)
    }

    /// Info series never change, so they never count as idle.
    func consumeActivity() -> Bool { true }

    func markDetached() { flags.markDetached() }

    /// False when the series is not exported (see ``MetricSeries/isExported``).
    public var isExported: Bool { flags.isExported }
}
