/// A sample accepted into a family, with what the family-level checks need to know about it.
struct SampleRecord {
    let sample: ParsedSample
    /// The sample name minus the family name, e.g. `_bucket`, or `""`.
    let suffix: String
    /// The sample's labels minus the labels that vary within one series group
    /// (`le` on buckets, `quantile` on summary quantiles, the state label of a stateset).
    let group: [String: String]
    /// The parsed `le` bound of a bucket sample.
    let bucketBound: Double?
    let line: Int
}
