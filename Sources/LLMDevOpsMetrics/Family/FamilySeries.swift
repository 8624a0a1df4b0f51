/// What the library does with a series and users never do: create it, copy its values for a
/// render, check it for idleness and detach it. Internal, so that users see only
/// ``MetricSeries``, the way swift-metrics keeps `CounterHandler` behind `Counter`.
///
/// ``MetricFamily`` stores its series as `AnyObject` (one word each, see ``SeriesTable``) and
/// reaches this machinery through ``SeriesDispatch``, by the type its descriptor names.
protocol FamilySeries: MetricSeries {
    /// Creates a series whose values start at zero.
    init(context: SeriesContext)
    /// A self-consistent copy of the current values; histograms put their bucket counts in `counts`.
    func snapshot(into counts: inout BucketCounts) -> SeriesValue
    /// Whether the series was updated since the last call; clears the mark.
    func consumeActivity() -> Bool
    /// Marks the series as no longer exported (removed, expired or rejected by a limit).
    func markDetached()
}
