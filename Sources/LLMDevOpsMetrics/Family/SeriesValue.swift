/// A snapshot of one series' values, taken by its family when the registry collects.
public struct SeriesValue: Sendable {
    enum Storage: Sendable {
        case counter(value: Double, created: Double, exemplar: Exemplar?)
        case gauge(Double)
        /// `cumulative` has one entry per bound plus the `+Inf` bucket, whose value is the count.
        case histogram(cumulative: [UInt64], sum: Double, created: Double, exemplars: [Exemplar?])
        case info
    }

    let storage: Storage

    init(_ storage: Storage) {
        self.storage = storage
    }
}
