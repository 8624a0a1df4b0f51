import Synchronization

/// State that every series of one family shares: the clock, the histogram bounds (classic and
/// native), and the counters of rejected updates (negative counter increments, NaN where it is
/// not allowed, invalid exemplars). Series hold one reference to it, so a rejected update is counted without
/// a lock or an await.
final class SeriesContext: Sendable {
    /// Why an update was rejected; the `reason` label of `llmdevops_registry_invalid_updates_total`.
    enum InvalidUpdate: Int, CaseIterable {
        case negativeIncrement
        case nanValue
        case invalidExemplar

        var reason: String {
            switch self {
            case .negativeIncrement: "negative_increment"
            case .nanValue: "nan_value"
            case .invalidExemplar: "invalid_exemplar"
            }
        }
    }

    let familyName: String
    let clock: MetricsClock
    /// Histogram upper bounds without `+Inf`; empty for other types.
    let bounds: [Double]
    /// The native buckets of a histogram family that has them (``FamilyOptions/nativeHistogram``).
    let nativeLayout: NativeBucketLayout?
    /// Whether ``nativeLayout`` is set, and the layout itself unwrapped (a default one when it is
    /// not), for ``nativeKey(_:)``: observing through the optional copied the layout out of the
    /// context, retaining and releasing its boundary table on every observation.
    let hasNativeBuckets: Bool
    private let unwrappedNativeLayout: NativeBucketLayout
    /// Finds an observation's classic bucket; from its native key when the family has native
    /// buckets.
    let classicIndex: ClassicBucketIndex
    private let negativeIncrements = Atomic<UInt64>(0)
    private let nanValues = Atomic<UInt64>(0)
    private let invalidExemplars = Atomic<UInt64>(0)

    init(familyName: String, clock: MetricsClock, bounds: [Double], nativeLayout: NativeBucketLayout? = nil) {
        self.familyName = familyName
        self.clock = clock
        self.bounds = bounds
        self.nativeLayout = nativeLayout
        self.hasNativeBuckets = nativeLayout != nil
        self.unwrappedNativeLayout = nativeLayout ?? Self.unusedNativeLayout
        self.classicIndex = ClassicBucketIndex(bounds: bounds, layout: nativeLayout)
    }

    deinit {
        classicIndex.deallocate()
    }

    /// The layout of families without native buckets: never used to count, shared so that
    /// creating such a family allocates no boundary table. (The default options are valid.)
    private static let unusedNativeLayout = NativeBucketLayout(NativeHistogramOptions())!

    /// The native bucket of `value` (not NaN), read from the layout in place; meaningful only
    /// when ``hasNativeBuckets``.
    @inline(__always)
    func nativeKey(_ value: Double) -> NativeKey {
        NativeKey(value, unwrappedNativeLayout)
    }

    func count(_ update: InvalidUpdate) {
        // Relaxed: these are independent tallies read only by scrapes.
        switch update {
        case .negativeIncrement: negativeIncrements.wrappingAdd(1, ordering: .relaxed)
        case .nanValue: nanValues.wrappingAdd(1, ordering: .relaxed)
        case .invalidExemplar: invalidExemplars.wrappingAdd(1, ordering: .relaxed)
        }
    }

    func invalidUpdates(_ update: InvalidUpdate) -> UInt64 {
        switch update {
        case .negativeIncrement: negativeIncrements.load(ordering: .relaxed)
        case .nanValue: nanValues.load(ordering: .relaxed)
        case .invalidExemplar: invalidExemplars.load(ordering: .relaxed)
        }
    }

    /// Validates exemplar labels (names, and at most 128 code points of names and values
    /// together, as OpenMetrics requires) and stamps them with the wall clock. Invalid ones are
    /// counted and dropped; the observation they came with still counts.
    func makeExemplar(_ labels: [String: String], value: Double) -> Exemplar? {
        var codePoints = 0
        for (name, labelValue) in labels {
            guard MetricNameRules.isValidLabelName(name) else {
                count(.invalidExemplar)
                return nil
            }
            codePoints += name.unicodeScalars.count + labelValue.unicodeScalars.count
        }
        guard codePoints <= 128, value.isFinite else {
            count(.invalidExemplar)
            return nil
        }
        return Exemplar(labels: labels, value: value, timestamp: clock.wallSeconds())
    }
}
