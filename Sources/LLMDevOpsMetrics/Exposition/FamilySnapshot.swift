/// A descriptor and a copy of its series' values at one instant, in output order: what pull
/// collectors and the registry's self-metrics produce. (Registered families render straight
/// from their tables instead; see ``MetricFamily``.)
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
}
