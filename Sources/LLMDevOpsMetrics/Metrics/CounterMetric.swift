import Synchronization

/// One counter series: a total that only goes up.
///
/// Recording never awaits and never locks: integer increments are one atomic add, floating
/// increments a compare-and-exchange loop. A negative or NaN increment is rejected, counted in
/// `llmdevops_registry_invalid_updates_total`, and leaves the value unchanged.
///
/// ```swift
/// let requests = try await registry.makeCounter(name: "app_requests_total", help: "Requests served.")
/// requests.increment()
/// requests.increment(by: 2.5)
/// ```
public final class CounterMetric: MetricSeries {
    /// Counters.
    public static var metricType: MetricType { .counter }

    let context: SeriesContext
    // All values use relaxed ordering: each atomic is an independent tally, and a scrape needs
    // no ordering with respect to other memory. Integer and floating parts are kept apart so
    // that the common integer path is a single wrapping add.
    private let integerPart = Atomic<UInt64>(0)
    private let floatingBits = Atomic<UInt64>(0)  // bit pattern of 0.0
    private let extras = AtomicLazyReference<SeriesExtras>()
    private let active = Atomic<Bool>(false)
    private let detached = Atomic<Bool>(false)

    /// Creates a series at zero.
    public init(context: SeriesContext) {
        self.context = context
        if context.tracksCreation {
            _ = extras.storeIfNil(SeriesExtras(createdAt: context.clock.wallSeconds()))
        }
    }

    /// Adds one.
    public func increment() {
        increment(by: 1)
    }

    /// Adds `amount`; a negative amount is rejected and counted.
    public func increment(by amount: Int) {
        guard amount >= 0 else {
            context.count(.negativeIncrement)
            return
        }
        integerPart.wrappingAdd(UInt64(amount), ordering: .relaxed)
        active.store(true, ordering: .relaxed)
    }

    /// Adds `amount`; a negative or NaN amount is rejected and counted.
    public func increment(by amount: Double) {
        guard amount >= 0 else {
            context.count(amount.isNaN ? .nanValue : .negativeIncrement)
            return
        }
        var bits = floatingBits.load(ordering: .relaxed)
        while true {
            let desired = (Double(bitPattern: bits) + amount).bitPattern
            let (exchanged, original) = floatingBits.compareExchange(
                expected: bits,
                desired: desired,
                ordering: .relaxed
            )
            if exchanged { break }
            bits = original
        }
        active.store(true, ordering: .relaxed)
    }

    /// Adds `amount` and keeps `exemplar` (for example `["trace_id": id]`) as the series' latest
    /// exemplar. OpenMetrics output shows it; exemplars over 128 code points are counted and dropped.
    public func increment(by amount: Double, exemplar: [String: String]) {
        increment(by: amount)
        guard amount >= 0, let stamped = context.makeExemplar(exemplar, value: amount) else { return }
        extras.storeIfNil(SeriesExtras(createdAt: nil)).store(stamped)
    }

    /// The current total.
    public var value: Double {
        Double(integerPart.load(ordering: .relaxed)) + Double(bitPattern: floatingBits.load(ordering: .relaxed))
    }

    /// Takes a snapshot of the total, the creation time (when tracked) and the latest exemplar.
    public func snapshot(into counts: inout BucketCounts) -> SeriesValue {
        let extras = extras.load()
        return SeriesValue(.counter(value: value, created: extras?.createdAt ?? 0, exemplar: extras?.exemplar))
    }

    /// Whether the series was updated since the last call.
    public func consumeActivity() -> Bool {
        active.exchange(false, ordering: .relaxed)
    }

    /// Stops exporting this series.
    public func markDetached() {
        detached.store(true, ordering: .relaxed)
    }

    /// False when the series is not exported (see ``MetricSeries/isExported``).
    public var isExported: Bool {
        !detached.load(ordering: .relaxed)
    }
}
