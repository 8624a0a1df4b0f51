import Synchronization

/// One histogram series: observations counted into cumulative buckets, with their sum, and,
/// when its family has ``FamilyOptions/nativeHistogram``, into native buckets as well.
///
/// Bucket counts (classic and native) and the sum move together under one small `Lock` (a
/// `Mutex`), so every snapshot is self-consistent: `_count` equals the `+Inf` bucket and matches
/// the buckets, and the native buckets hold the same observations at the same instant. (The
/// critical section is an index increment or two and an add; both bucket indexes are computed
/// before the lock is taken. An uncontended lock costs about what swift-prometheus' histogram
/// lock costs.) NaN observations are rejected and counted.
/// Negative observations are counted and summed; while the sum is negative (or NaN, after
/// `+infinity` and `-infinity`), and always when a bucket bound is negative, OpenMetrics
/// exposes the series without `_sum` and `_count`, which that format reserves for a sum that
/// is a counter. Text 0.0.4 prints them.
///
/// ```swift
/// let latency = try await registry.makeHistogram(name: "app_request_duration_seconds", buckets: HistogramBuckets.default)
/// latency.observe(0.042)
/// ```
public final class HistogramMetric: MetricSeries, FamilySeries {
    /// Histograms.
    public static var metricType: MetricType { .histogram }

    private struct State {
        /// Non-cumulative counts; the last entry is the `+Inf` bucket.
        var counts: [UInt64]
        var sum: Double = 0
        /// Latest exemplar per bucket; empty until the first exemplar arrives.
        var exemplars: [Exemplar?] = []
        /// The native buckets, when the family has them.
        var native: NativeBuckets?
    }

    let context: SeriesContext
    let createdAt: Double
    private let state: Lock<State>
    private let flags = SeriesFlags()

    /// Creates a series with empty buckets.
    init(context: SeriesContext) {
        self.context = context
        self.createdAt = context.clock.wallSeconds()
        self.state = Lock(
            State(
                counts: Array(repeating: 0, count: context.bounds.count + 1),
                native: context.nativeLayout.map(NativeBuckets.init(layout:))
            ))
    }

    /// Records one observation.
    public func observe(_ value: Double) {
        guard !value.isNaN else {
            context.count(.nanValue)
            return
        }
        guard context.hasNativeBuckets else {
            let index = context.classicIndex.index(of: value)
            state.withLock { state in
                state.counts[index] &+= 1
                state.sum += value
            }
            flags.markActive()
            return
        }
        // The native key also finds the classic bucket (see ClassicBucketIndex).
        let native = context.nativeKey(value)
        let index = context.classicIndex.index(of: value, key: native.positiveKey)
        state.withLock { state in
            state.counts[index] &+= 1
            state.sum += value
            native.count(in: &state.native)
        }
        flags.markActive()
    }

    /// Records one observation and keeps `exemplar` as the latest exemplar of its bucket.
    public func observe(_ value: Double, exemplar: [String: String]) {
        guard !value.isNaN else {
            context.count(.nanValue)
            return
        }
        let index = context.classicIndex.index(of: value)
        let stamped = context.makeExemplar(exemplar, value: value)
        let bucketCount = context.bounds.count + 1
        let native = context.hasNativeBuckets ? context.nativeKey(value) : nil
        state.withLock { state in
            state.counts[index] &+= 1
            state.sum += value
            native?.count(in: &state.native)
            if let stamped {
                if state.exemplars.isEmpty { state.exemplars = Array(repeating: nil, count: bucketCount) }
                state.exemplars[index] = stamped
            }
        }
        flags.markActive()
    }

    /// Records a duration in seconds.
    public func observe(_ duration: Duration) {
        observe(duration.seconds)
    }

    /// The number of observations.
    public var count: UInt64 {
        state.withLock { $0.counts.reduce(0, &+) }
    }

    /// The sum of observations.
    public var sum: Double {
        state.withLock { $0.sum }
    }

    /// Takes a consistent snapshot of cumulative buckets, sum and exemplars.
    func snapshot(into counts: inout BucketCounts) -> SeriesValue {
        let (range, sum, exemplars) = state.withLock { state in
            (counts.appendCumulative(state.counts), state.sum, state.exemplars)
        }
        return SeriesValue(.histogram(counts: range, sum: sum, created: createdAt, exemplars: exemplars))
    }

    /// Takes a consistent snapshot of everything, native buckets included: cumulative classic
    /// counts into `counts`, the native windows into `native` (reusing its storage).
    func snapshot(into counts: inout BucketCounts, native: inout NativeBucketsSnapshot) -> SeriesValue {
        let (range, sum, exemplars) = state.withLock { state in
            native.copy(state.native)
            return (counts.appendCumulative(state.counts), state.sum, state.exemplars)
        }
        return SeriesValue(.histogram(counts: range, sum: sum, created: createdAt, exemplars: exemplars))
    }

    func consumeActivity() -> Bool { flags.consumeActivity() }

    func markDetached() { flags.markDetached() }

    /// False when the series is not exported (see ``MetricSeries/isExported``).
    public var isExported: Bool { flags.isExported }
}
