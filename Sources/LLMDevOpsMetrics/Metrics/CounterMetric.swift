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
public final class CounterMetric: MetricSeries, FamilySeries {
    /// Counters.
    public static var metricType: MetricType { .counter }

    // Values use relaxed ordering: each atomic is an independent tally, and a scrape needs no
    // ordering with respect to other memory. Integer and floating parts are kept apart so that
    // the common integer path is a single wrapping add.
    private let integerPart = Atomic<UInt64>(0)
    private let floatingBits = Atomic<UInt64>(0)  // bit pattern of 0.0
    /// When the series was created (Unix seconds): the start timestamp of the protobuf format's
    /// `created_timestamp` and of OpenMetrics' `_created`.
    let createdAt: Double
    /// Everything else in one word, so that an instance is 48 bytes (a 64-byte allocation
    /// instead of 80; see the "Tagged Counter Word" article): a +1 reference to the family's
    /// ``SeriesContext`` or, once the series has an exemplar, to its ``SeriesExtras`` (which
    /// holds the context), tagged by ``Word/extras``; and the ``Word/active`` and
    /// ``Word/detached`` flags. The
    /// referenced object only ever changes from the context to extras (never back), under a
    /// compare-and-exchange that keeps the flags; the word owns its reference until `deinit`.
    private let word: Atomic<UInt>

    /// The low bits of `word` (heap objects are at least 8-byte aligned).
    private enum Word {
        static let active: UInt = 1
        static let detached: UInt = 2
        static let extras: UInt = 4
        static let tags: UInt = 7
    }

    /// Creates a series at zero.
    init(context: SeriesContext) {
        createdAt = context.clock.wallSeconds()
        word = Atomic(Self.pointer(Unmanaged.passRetained(context).toOpaque()))
    }

    deinit {
        let word = word.load(ordering: .acquiring)
        let object = UnsafeRawPointer(bitPattern: word & ~Word.tags).unsafelyUnwrapped
        if word & Word.extras != 0 {
            Unmanaged<SeriesExtras>.fromOpaque(object).release()
        } else {
            Unmanaged<SeriesContext>.fromOpaque(object).release()
        }
    }

    private static func pointer(_ object: UnsafeMutableRawPointer) -> UInt {
        let bits = UInt(bitPattern: object)
        // Invariant, not input: Swift heap objects are at least 16-byte aligned, so the low tag
        // bits of an object address are always zero. A violation would corrupt the flags.
        precondition(bits & Word.tags == 0, "misaligned object")
        return bits
    }

    /// The object `word` references, unretained: it lives as long as this series (the context
    /// is also kept by the extras that replace it in the word).
    @inline(__always)
    private static func object(_ word: UInt) -> UnsafeRawPointer {
        UnsafeRawPointer(bitPattern: word & ~Word.tags).unsafelyUnwrapped
    }

    @inline(__always)
    private static func extras(_ word: UInt) -> SeriesExtras? {
        guard word & Word.extras != 0 else { return nil }
        return Unmanaged<SeriesExtras>.fromOpaque(object(word)).takeUnretainedValue()
    }

    /// The family's shared state (clock, invalid-update tallies).
    var context: SeriesContext {
        let word = word.load(ordering: .acquiring)
        if let extras = Self.extras(word) { return extras.context }
        return Unmanaged<SeriesContext>.fromOpaque(Self.object(word)).takeUnretainedValue()
    }

    /// The series' extras, created when it has none yet.
    private func makeExtras() -> SeriesExtras {
        var current = word.load(ordering: .acquiring)
        if let extras = Self.extras(current) { return extras }
        let context = Unmanaged<SeriesContext>.fromOpaque(Self.object(current)).takeUnretainedValue()
        let created = Unmanaged.passRetained(SeriesExtras(context: context))
        let pointer = Self.pointer(created.toOpaque()) | Word.extras
        while true {
            let (exchanged, original) = word.compareExchange(
                expected: current,
                desired: pointer | (current & (Word.active | Word.detached)),
                successOrdering: .acquiringAndReleasing,
                failureOrdering: .acquiring
            )
            if exchanged {
                // The word's reference to the context moves to the extras.
                Unmanaged<SeriesContext>.fromOpaque(Self.object(current)).release()
                return created.takeUnretainedValue()
            }
            if let extras = Self.extras(original) {
                // Another thread installed extras first.
                created.release()
                return extras
            }
            current = original  // only a flag changed
        }
    }

    /// Sets the activity flag, with a read first so that repeated updates do not write.
    @inline(__always)
    private func markActive() {
        if word.load(ordering: .relaxed) & Word.active == 0 {
            word.bitwiseOr(Word.active, ordering: .relaxed)
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
        markActive()
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
        markActive()
    }

    /// Adds `amount` and keeps `exemplar` (for example `["trace_id": id]`) as the series' latest
    /// exemplar. OpenMetrics output shows it; exemplars over 128 code points are counted and dropped.
    public func increment(by amount: Double, exemplar: [String: String]) {
        increment(by: amount)
        guard amount >= 0, let stamped = context.makeExemplar(exemplar, value: amount) else { return }
        makeExtras().store(stamped)
    }

    /// The current total.
    public var value: Double {
        Double(integerPart.load(ordering: .relaxed)) + Double(bitPattern: floatingBits.load(ordering: .relaxed))
    }

    /// Takes a snapshot of the total, the creation time and the latest exemplar.
    func snapshot(into counts: inout BucketCounts) -> SeriesValue {
        let extras = Self.extras(word.load(ordering: .acquiring))
        return SeriesValue(.counter(value: value, created: createdAt, exemplar: extras?.exemplar))
    }

    /// Whether the series was updated since the last call.
    func consumeActivity() -> Bool {
        word.bitwiseAnd(~Word.active, ordering: .relaxed).oldValue & Word.active != 0
    }

    /// Stops exporting this series.
    func markDetached() {
        word.bitwiseOr(Word.detached, ordering: .relaxed)
    }

    /// False when the series is not exported (see ``MetricSeries/isExported``).
    public var isExported: Bool {
        word.load(ordering: .relaxed) & Word.detached == 0
    }
}
