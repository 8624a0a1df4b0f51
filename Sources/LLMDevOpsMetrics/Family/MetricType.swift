/// The kind of a metric family.
public enum MetricType: String, Sendable, Hashable, CaseIterable {
    /// A monotonically increasing total.
    case counter
    /// A value that goes up and down.
    case gauge
    /// Observations counted into cumulative buckets, with a sum and a count.
    case histogram
    /// Constant `1`-valued series whose labels carry information (`*_build_info`).
    case info
}
