import Synchronization

/// One gauge series: a value that can go up and down.
///
/// The value is a `Double` stored as its bit pattern in one atomic; `set(to:)` is a single
/// store, increments are a compare-and-exchange loop. NaN is a valid gauge value.
///
/// ```swift
/// let inFlight = try await registry.makeGauge(name: "app_requests_in_flight")
/// inFlight.increment()
/// defer { inFlight.decrement() }
/// ```
public final class GaugeMetric: MetricSeries, FamilySeries {
    /// Gauges.
    public static var metricType: MetricType { .gauge }

    let context: SeriesContext
    // Relaxed ordering: the gauge is one independent value.
    private let bits = Atomic<UInt64>(0)  // bit pattern of 0.0
    private let flags = SeriesFlags()

    /// Creates a series at zero.
    init(context: SeriesContext) {
        self.context = context
    }

    /// Sets the value.
    public func set(to value: Double) {
        bits.store(value.bitPattern, ordering: .relaxed)
        flags.markActive()
    }

    /// Adds `amount` (which may be negative).
    public func increment(by amount: Double = 1) {
        var current = bits.load(ordering: .relaxed)
        while true {
            let desired = (Double(bitPattern: current) + amount).bitPattern
            let (exchanged, original) = bits.compareExchange(expected: current, desired: desired, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
        flags.markActive()
    }

    /// Subtracts `amount`.
    public func decrement(by amount: Double = 1) {
        increment(by: -amount)
    }

    /// Sets the value to the registry clock's current time in seconds since the Unix epoch.
    public func setToCurrentTime() {
        set(to: context.clock.wallSeconds())
    }

    /// The current value.
    public var value: Double {
        Double(bitPattern: bits.load(ordering: .relaxed))
    }

    /// Takes a snapshot of the value.
    func snapshot(into counts: inout BucketCounts) -> SeriesValue {
        SeriesValue(.gauge(value))
    }

    func consumeActivity() -> Bool { flags.consumeActivity() }

    func markDetached() { flags.markDetached() }

    /// False when the series is not exported (see ``MetricSeries/isExported``).
    public var isExported: Bool { flags.isExported }
}
