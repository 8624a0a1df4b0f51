/// Bucket upper bounds for histograms: the client_golang defaults and the linear and exponential
/// helpers. The `+Inf` bucket is always implicit.
public enum HistogramBuckets {
    /// `.005 .01 .025 .05 .1 .25 .5 1 2.5 5 10`, the client_golang default for request durations in seconds.
    public static let `default`: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// `count` buckets starting at `start`, each `width` above the previous one.
    ///
    /// ```swift
    /// try HistogramBuckets.linear(start: 1, width: 2, count: 3)  // [1, 3, 5]
    /// ```
    public static func linear(start: Double, width: Double, count: Int) throws(MetricsError) -> [Double] {
        guard count >= 1, width > 0, start.isFinite, width.isFinite else {
            throw MetricsError(.invalidBuckets, metric: nil, "linear buckets need count >= 1 and a finite width > 0")
        }
        return (0..<count).map { start + Double($0) * width }
    }

    /// `count` buckets starting at `start`, each `factor` times the previous one.
    ///
    /// ```swift
    /// try HistogramBuckets.exponential(start: 0.001, factor: 10, count: 4)  // [0.001, 0.01, 0.1, 1]
    /// ```
    public static func exponential(start: Double, factor: Double, count: Int) throws(MetricsError) -> [Double] {
        guard count >= 1, start > 0, factor > 1, start.isFinite, factor.isFinite else {
            throw MetricsError(.invalidBuckets, metric: nil, "exponential buckets need count >= 1, start > 0 and factor > 1")
        }
        var bounds: [Double] = []
        bounds.reserveCapacity(count)
        var bound = start
        for _ in 0..<count {
            bounds.append(bound)
            bound *= factor
        }
        guard bounds.allSatisfy(\.isFinite) else {
            throw MetricsError(.invalidBuckets, metric: nil, "exponential buckets overflow to infinity")
        }
        return bounds
    }

    /// Sorts and de-duplicates `bounds` and drops a trailing `+Inf`; NaN and `-Inf` are errors.
    static func normalize(_ bounds: [Double], metric: String) throws(MetricsError) -> [Double] {
        for bound in bounds where bound.isNaN || bound == -.infinity {
            throw MetricsError(.invalidBuckets, metric: metric, "bucket bound \(bound) is not allowed")
        }
        var unique: [Double] = []
        for bound in bounds.filter({ $0 != .infinity }).sorted() where unique.last != bound {
            unique.append(bound)
        }
        return unique
    }
}
