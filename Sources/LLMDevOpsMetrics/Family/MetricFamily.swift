import Synchronization

/// A metric family: one descriptor and the table of its series, owned by an actor.
///
/// The actor owns structure (create, remove, expire); values live in atomics inside the series
/// handles it returns, so code that keeps a handle records without awaiting.
///
/// ```swift
/// let requests = try await registry.makeCounterFamily(name: "app_requests_total", labelNames: ["method", "status"])
/// let ok = try await requests.labels(["status": "200", "method": "GET"])  // order does not matter
/// ok.increment()
/// ```
///
/// Looking up a series that exists does not enter the actor: ``labels(_:)`` and
/// ``labels(values:)`` run on the caller's executor, probe the series table under a short lock
/// without building the series key, and hop into the actor only to create a series. Renders
/// read the table under the same lock, straight into the output buffer (see
/// <doc:SeriesLookupsBesideTheFamilyActor>).
///
/// When a cardinality limit refuses a new series, ``labels(_:)`` still returns a working handle
/// that is not exported (``MetricSeries/isExported`` is false) and the rejection is counted in
/// `llmdevops_registry_series_rejected_total{family,reason}`.
public actor MetricFamily<Metric: MetricSeries> {
    /// The family's name, type, help, unit, label names and buckets.
    public nonisolated let descriptor: MetricDescriptor
    /// `descriptor.labelNames.count`, read on every lookup.
    private nonisolated let labelCount: Int
    nonisolated let context: SeriesContext
    private nonisolated let limits: FamilyLimits
    /// Internal (not private) for the protobuf render in `MetricFamily+Protobuf.swift`.
    nonisolated let shared = Lock(FamilyState())
    /// Last time each series was seen active (monotonic ns); kept only with an idle TTL.
    private var lastActive: [String: UInt64] = [:]

    init(descriptor: MetricDescriptor, context: SeriesContext, limits: FamilyLimits) {
        // Invariant, not input: the registry creates each family with its type's series class,
        // which SeriesDispatch relies on.
        assert(Metric.metricType == descriptor.type, "series class does not match the descriptor")
        self.descriptor = descriptor
        self.labelCount = descriptor.labelNames.count
        self.context = context
        self.limits = limits
    }

    /// The series for a label set given by name. The order of the dictionary never matters.
    ///
    /// - Throws: ``MetricsError/Code/labelSetMismatch`` when the names are not exactly the family's label names.
    public nonisolated func labels(_ labels: [String: String]) async throws(MetricsError) -> Metric {
        let names = descriptor.labelNames
        guard labels.count == names.count else { throw labelSetMismatch(labels) }
        // Read each value once into a stack buffer, then hash and compare like labels(values:).
        let (hash, existing) = withUnsafeTemporaryAllocation(
            of: String.self,
            capacity: names.count
        ) { buffer -> (UInt32?, (any AnyObject & Sendable)?) in
            var initialized = 0
            defer { buffer.prefix(initialized).deinitialize() }
            for name in names {
                guard let value = labels[name] else { return (nil, nil) }
                buffer.initializeElement(at: initialized, to: value)
                initialized += 1
            }
            let values = UnsafeMutableBufferPointer(rebasing: buffer[..<initialized])
            guard let hash = LabelProbe.hash(values: values) else { return (nil, nil) }
            return (hash, shared.withLock { $0.table.series(hash: hash) { LabelProbe.matches(values: values, key: $0) } })
        }
        if let existing { return Self.metric(existing) }
        guard let key = LabelKey.make(labels, orderedBy: names) else { throw labelSetMismatch(labels) }
        // `hash` (of the raw values, none needing escaping) is the key's hash.
        return await resolve(key: key, hash: hash, values: limits.screensLabelValues ? names.map { labels[$0] ?? "" } : [])
    }

    /// The series for label values given in the family's declared label order.
    ///
    /// - Throws: ``MetricsError/Code/labelSetMismatch`` when the number of values is wrong.
    public nonisolated func labels(values: [String]) async throws(MetricsError) -> Metric {
        guard values.count == labelCount else {
            throw MetricsError(
                .labelSetMismatch,
                metric: descriptor.name,
                "expected \(descriptor.labelNames.count) label values, got \(values.count)"
            )
        }
        let hash = LabelProbe.hash(values: values)
        if let hash,
            let existing = shared.withLock({
                $0.table.series(hash: hash) { LabelProbe.matches(values: values, key: $0) }
            })
        {
            return Self.metric(existing)
        }
        // When the values need no escaping, their hash is the key's: the key is not hashed again.
        return await resolve(key: LabelKey.make(values), hash: hash, values: values)
    }

    /// The series for label values in the family's declared label order; when it has to be
    /// created, `initialize` runs on it under the table lock before it is inserted, so no render
    /// ever sees it at its initial zero. For samplers that remove a series while its source
    /// fails and bring it back with its current value (a counter that reappeared at 0 would
    /// read as a reset). An existing series is returned untouched.
    ///
    /// - Throws: ``MetricsError/Code/labelSetMismatch`` when the number of values is wrong.
    package nonisolated func labels(
        values: [String],
        initializingWith initialize: @escaping @Sendable (Metric) -> Void
    ) async throws(MetricsError) -> Metric {
        guard values.count == labelCount else {
            throw MetricsError(
                .labelSetMismatch,
                metric: descriptor.name,
                "expected \(descriptor.labelNames.count) label values, got \(values.count)"
            )
        }
        let hash = LabelProbe.hash(values: values)
        return await resolve(key: LabelKey.make(values), hash: hash, values: values, initialize)
    }

    /// Removes the series with these labels; returns whether it existed. Handles to it stop being exported.
    @discardableResult
    public func remove(_ labels: [String: String]) throws(MetricsError) -> Bool {
        guard let key = LabelKey.make(labels, orderedBy: descriptor.labelNames) else {
            throw labelSetMismatch(labels)
        }
        if lookUp(LabelProbe(key: key)) == nil, limits.screensLabelValues,
            let screened = screen(descriptor.labelNames.map { labels[$0] ?? "" }, counting: false)
        {
            return remove(key: screened)
        }
        return remove(key: key)
    }

    /// Removes every series. Handles to them stop being exported.
    public func removeAll() {
        let removed = shared.withLock { shared in
            let series = shared.table.series
            shared.table.removeAll()
            return series
        }
        for series in removed { SeriesDispatch.markDetached(series, descriptor.type) }
        limits.budget.release(removed.count)
        lastActive.removeAll()
    }

    /// The number of exported series.
    public var seriesCount: Int { shared.withLock { $0.table.count } }

    /// The series of `probe`, if it exists; on the caller's executor, under the table lock.
    private nonisolated func lookUp(_ probe: LabelProbe) -> Metric? {
        // Nothing here depends on `Metric` but the final downcast, so the code that runs
        // unspecialised in callers' modules instantiates no generic metadata.
        guard let object = shared.withLock({ $0.table.series(for: probe) }) else { return nil }
        return Self.metric(object)
    }

    /// The table stores this family's series, all of type `Metric`, as `AnyObject & Sendable`.
    @inline(__always)
    private static func metric(_ object: any AnyObject & Sendable) -> Metric {
        unsafeDowncast(object, to: Metric.self)
    }

    /// The series for `key`, created when missing; `hash` is the key's ``LabelProbe`` hash
    /// when the caller has it; `values` are the key's values in label order when the family
    /// screens them (only on a miss: a screened key is stored redacted, so a hit is never a
    /// secret). Without screening, ``create(key:hash:)`` alone looks the key up and inserts it
    /// under one lock.
    private func resolve(
        key: String,
        hash: UInt32?,
        values: [String],
        _ initialize: (@Sendable (Metric) -> Void)? = nil
    ) -> Metric {
        let hash = hash ?? LabelProbe(key: key).hash
        if limits.screensLabelValues {
            if let existing = shared.withLock({ $0.table.series(hash: hash) { $0 == key } }) {
                return Self.metric(existing)
            }
            if let screened = screen(values, counting: true) {
                return create(key: screened, hash: LabelProbe(key: screened).hash, initialize)
            }
        }
        return create(key: key, hash: hash, initialize)
    }

    /// The key with flagged values replaced, counting each replacement; nil when nothing is flagged.
    private func screen(_ values: [String], counting: Bool) -> String? {
        var replaced = values
        var redactions: [LabelRedaction] = []
        for (index, value) in values.enumerated() {
            guard let reason = LabelValueScreen.reason(for: value) else { continue }
            replaced[index] = LabelValueScreen.redactedValue
            redactions.append(LabelRedaction(labelIndex: index, reason: reason))
        }
        guard !redactions.isEmpty else { return nil }
        if counting {
            shared.withLock { shared in
                for redaction in redactions { shared.redactions[redaction, default: 0] += 1 }
            }
        }
        return LabelKey.make(replaced)
    }

    /// `key`'s series, created under the table lock when missing (and given to `initialize`
    /// before it is inserted); `hash` is `LabelProbe(key: key).hash`.
    private func create(
        key: String,
        hash: UInt32,
        _ initialize: (@Sendable (Metric) -> Void)? = nil
    ) -> Metric {
        let limits = self.limits
        let context = self.context
        let type = descriptor.type
        let creation = shared.withLock { shared -> SeriesCreation in
            if let existing = shared.table.series(hash: hash, matching: { $0 == key }) { return .existing(existing) }
            let rejection: SeriesRejection?
            if shared.table.count >= limits.maxSeries {
                rejection = .metricLimit
            } else if !limits.budget.tryAcquire() {
                rejection = .globalLimit
            } else {
                rejection = nil
            }
            let series = SeriesDispatch.make(type, context: context)
            guard let rejection else {
                if let initialize { initialize(Self.metric(series)) }
                shared.table.insert(series, key: key, hash: hash)
                return .created(series)
            }
            SeriesDispatch.markDetached(series, type)
            shared.rejected[rejection, default: 0] += 1
            return .rejected(series, rejection)
        }
        switch creation {
        case .existing(let series):
            return Self.metric(series)
        case .created(let series):
            if limits.idleTTLNanoseconds != nil {
                lastActive[key] = context.clock.monotonicNanoseconds()
            }
            return Self.metric(series)
        case .rejected(let series, let rejection):
            limits.log.record(
                family: descriptor.name,
                reason: rejection,
                limit: rejection == .metricLimit ? limits.maxSeries : limits.budget.limit
            )
            return Self.metric(series)
        }
    }

    private func remove(key: String) -> Bool {
        guard let series = shared.withLock({ $0.table.remove(key: key) }) else { return false }
        SeriesDispatch.markDetached(series, descriptor.type)
        limits.budget.release(1)
        lastActive.removeValue(forKey: key)
        return true
    }

    private nonisolated func labelSetMismatch(_ labels: [String: String]) -> MetricsError {
        MetricsError(
            .labelSetMismatch,
            metric: descriptor.name,
            "labels \(labels.keys.sorted()) do not match the family's label names \(descriptor.labelNames)"
        )
    }

    // MARK: Collection

    /// Whether the family expires idle series, which a render must let it do first.
    nonisolated var expiresIdleSeries: Bool { limits.idleTTLNanoseconds != nil }

    /// Removes series idle for longer than the TTL (when one is configured).
    func expireIdleSeries() {
        guard let ttl = limits.idleTTLNanoseconds else { return }
        let now = context.clock.monotonicNanoseconds()
        let (keys, series) = shared.withLock { ($0.table.keys, $0.table.series) }
        var expired: [String] = []
        for (key, series) in zip(keys, series) {
            if SeriesDispatch.consumeActivity(series, descriptor.type) {
                lastActive[key] = now
            } else if let seen = lastActive[key], now &- seen >= ttl {
                expired.append(key)
            }
        }
        var removed: UInt64 = 0
        for key in expired where remove(key: key) { removed += 1 }
        if removed > 0 { shared.withLock { $0.idleExpiries += removed } }
    }

    /// Writes the family in output order straight into `out`, reading values from the series
    /// under the table lock. Allocates nothing once `scratch` and `out` have grown (the sorted
    /// order is rebuilt only after the table changed).
    nonisolated func encode(
        with encoder: ExpositionEncoder,
        into out: inout [UInt8],
        scratch: inout ExpositionScratch
    ) {
        let descriptor = self.descriptor
        encoder.beginFamily(descriptor, scratch: &scratch, into: &out)
        shared.withLock { shared in
            SeriesDispatch.encodeSeries(of: descriptor, in: &shared.table, with: encoder, scratch: &scratch, into: &out)
        }
    }

    /// What the cardinality report needs, copied under the table lock (see ``FamilyCardinality``);
    /// with `counterValues`, also the value of each series of a counter family.
    nonisolated func cardinality(counterValues: Bool) -> FamilyCardinality {
        let (keys, series, rejected, redactions, idleExpiries) = shared.withLock { shared in
            (
                shared.table.keys, counterValues ? shared.table.series : [], shared.rejected, shared.redactions,
                shared.idleExpiries
            )
        }
        let values =
            descriptor.type == .counter ? series.map { unsafeDowncast($0, to: CounterMetric.self).value } : []
        return FamilyCardinality(
            descriptor: descriptor,
            keys: keys,
            counterValues: values,
            seriesLimit: limits.maxSeries,
            rejected: rejected,
            redactions: redactions,
            idleExpiries: idleExpiries
        )
    }

    /// The family's series count and rejection tallies, for the registry's self-metrics.
    nonisolated func tallies() -> FamilyTallies {
        let invalidUpdates = SeriesContext.InvalidUpdate.allCases.map { ($0, context.invalidUpdates($0)) }
        return shared.withLock { shared in
            FamilyTallies(
                descriptor: descriptor,
                seriesCount: shared.table.count,
                rejected: shared.rejected,
                invalidUpdates: invalidUpdates,
                redactions: shared.redactions
            )
        }
    }
}

/// Family-level limits resolved from the registry configuration and ``FamilyOptions``.
struct FamilyLimits: Sendable {
    let maxSeries: Int
    let budget: BoundedCounter
    let idleTTLNanoseconds: UInt64?
    let log: RejectionLog
    let screensLabelValues: Bool
}

/// What ``MetricFamily``'s create found or did under the table lock. Not nested in the generic
/// family (series are `AnyObject & Sendable`, as in ``SeriesTable``), so creating a series
/// instantiates no generic metadata.
private enum SeriesCreation {
    case existing(any AnyObject & Sendable)
    case created(any AnyObject & Sendable)
    case rejected(any AnyObject & Sendable, SeriesRejection)
}

/// One kind of label-value redaction: which label (by position) and why.
struct LabelRedaction: Hashable, Sendable {
    let labelIndex: Int
    let reason: LabelValueScreen.Reason
}

/// A family of counters.
public typealias CounterFamily = MetricFamily<CounterMetric>
/// A family of gauges.
public typealias GaugeFamily = MetricFamily<GaugeMetric>
/// A family of histograms.
public typealias HistogramFamily = MetricFamily<HistogramMetric>
/// A family of info metrics.
public typealias InfoFamily = MetricFamily<InfoMetric>
