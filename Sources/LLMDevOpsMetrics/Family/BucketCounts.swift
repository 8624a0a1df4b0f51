/// Cumulative histogram bucket counts of every series in one family snapshot, in one flat
/// buffer, so that a snapshot costs one allocation per family rather than one per series.
public struct BucketCounts: Sendable {
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
