/// Cumulative histogram bucket counts in one flat buffer that histogram ``SeriesValue``s index.
/// A ``FamilySnapshot`` (pull collectors, self-metrics) keeps the counts of all its series in
/// one; a render of a registered family reuses one for each series in turn (see
/// ``ExpositionScratch``), so it allocates nothing once grown.
struct BucketCounts: Sendable {
    var values: [UInt64] = []

    init() {}

    /// Appends `counts` made cumulative and returns where they are.
    mutating func appendCumulative(_ counts: [UInt64]) -> Range<Int> {
        let start = values.count
        var running: UInt64 = 0
        for count in counts {
            running &+= count
            values.append(running)
        }
        return start..<values.count
    }

    /// Appends counts that are already cumulative and returns where they are.
    mutating func append(cumulative counts: [UInt64]) -> Range<Int> {
        let start = values.count
        values.append(contentsOf: counts)
        return start..<values.count
    }
}
