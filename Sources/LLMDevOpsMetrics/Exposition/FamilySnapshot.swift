/// A family's descriptor and a copy of its series' values at one instant, in output order,
/// plus the family's rejection tallies for the registry's self-metrics.
struct FamilySnapshot: Sendable {
    struct Series: Sendable {
        /// The series' ``LabelKey``.
        let key: String
        let value: SeriesValue
    }

    let descriptor: MetricDescriptor
    var series: [Series]
    /// The cumulative bucket counts the histogram series' values point into.
    var bucketCounts = BucketCounts()
    var rejected: [SeriesRejection: UInt64] = [:]
    var invalidUpdates: [(SeriesContext.InvalidUpdate, UInt64)] = []
    /// Label values the screen replaced, by label position and reason.
    var redactions: [LabelRedaction: UInt64] = [:]
}
