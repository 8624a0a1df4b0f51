import LLMDevOpsMetrics

/// One synchronous attempt to apply an event with cached series handles.
///
/// An applier writes an event as a fixed sequence of *steps* (series updates and overflow
/// counts), the same sequence every time for the same event and vocabulary. A pass runs the
/// steps from ``init(from:)`` on, with handles read unretained from the caches, and stops at the
/// first step whose series is not cached yet: ``miss`` then says which step and how to create
/// the series (the only part that awaits). The caller resolves it and starts a new pass at that
/// step, so every step is applied exactly once and the common case (every series cached) never
/// suspends, never allocates and never retains a shared object (``ApplierGenerations/apply(_:)``).
struct ApplyPass {
    private let start: Int
    private var step = 0
    /// The first step that could not run, with the work that makes it possible.
    private(set) var miss: ApplyMiss?

    /// A pass that skips the steps before `start` (applied by an earlier pass).
    init(from start: Int) {
        self.start = start
    }

    /// Whether the current step runs: false after a miss, and (advancing past it) for a step an
    /// earlier pass applied.
    @inline(__always)
    private mutating func begin() -> Bool {
        guard miss == nil else { return false }
        guard step >= start else {
            step += 1
            return false
        }
        return true
    }

    /// Calls `body` with the series cached under `key`, or records a miss that creates it from
    /// `labelValues()` (called only then).
    @inline(__always)
    mutating func update<Metric: MetricSeries>(
        _ cache: SeriesCache<Metric>,
        _ key: Int,
        _ labelValues: () -> [String],
        _ body: (Metric) -> Void
    ) {
        guard begin() else { return }
        if let handle = cache.cached(key) {
            handle._withUnsafeGuaranteedRef(body)
            step += 1
            return
        }
        let values = labelValues()
        miss = ApplyMiss(step: step) { await cache.resolve(key, labelValues: values) }
    }

    /// Counts one value of `label` folded into the fallback, in the event whose primary metric
    /// is `metric` (`llmdevops_collector_label_overflow_total`).
    @inline(__always)
    mutating func countOverflow(_ overflow: OverflowCounter, metric: String, label: String) {
        guard begin() else { return }
        if overflow.increment(metric: metric, label: label) {
            step += 1
            return
        }
        miss = ApplyMiss(step: step) { await overflow.prepare(metric: metric, label: label) }
    }
}
