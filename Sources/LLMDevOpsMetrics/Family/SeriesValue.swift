/// A copy of one series' values, taken when the registry renders.
struct SeriesValue: Sendable {
    enum Storage: Sendable {
        case counter(value: Double, created: Double, exemplar: Exemplar?)
        case gauge(Double)
        /// `counts` indexes the family snapshot's ``BucketCounts``: cumulative counts, one per
        /// bound plus the `+Inf` bucket, whose value is the count.
        case histogram(counts: Range<Int>, sum: Double, created: Double, exemplars: [Exemplar?])
        case info
    }

    let storage: Storage

    init(_ storage: Storage) {
        self.storage = storage
    }
}
