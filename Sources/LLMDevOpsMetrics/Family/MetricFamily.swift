/// A metric family: one descriptor and the table of its series, owned by an actor.
///
/// The actor owns structure (create, remove, expire, snapshot); values live in atomics inside
/// the series handles it returns, so code that keeps a handle records without awaiting.
///
/// ```swift
/// let requests = try await registry.makeCounterFamily(name: "app_requests_total", labelNames: ["method", "status"])
/// let ok = try await requests.labels(["status": "200", "method": "GET"])  // order does not matter
/// ok.increment()
/// ```
///
/// When a cardinality limit refuses a new series, ``labels(_:)`` still returns a working handle
/// that is not exported (``MetricSeries/isExported`` is false) and the rejection is counted in
/// `llmdevops_registry_series_rejected_total{family,reason}`.
public actor MetricFamily<Metric: MetricSeries> {
    /// The family's name, type, help, unit, label names and buckets.
    public nonisolated let descriptor: MetricDescriptor
    nonisolated let context: SeriesContext
    private let limits: FamilyLimits
    private var table: [String: Metric] = [:]
    /// Keys in output order; rebuilt after the table changes. (Keys, not key-series pairs:
    /// 16 bytes a series instead of 24, for one hash lookup per series when rendering.)
    private var sortedKeys: [String]?
    /// Last time each series was seen active (monotonic ns); kept only with an idle TTL.
    private var lastActive: [String: UInt64] = [:]
    private var rejected: [SeriesRejection: UInt64] = [:]
    private var redactions: [LabelRedaction: UInt64] = [:]

    init(descriptor: MetricDescriptor, context: SeriesContext, limits: FamilyLimits) {
        self.descriptor = descriptor
        self.context = context
        self.limits = limits
    }

    /// The series for a label set given by name. The order of the dictionary never matters.
    ///
    /// - Throws: ``MetricsError/Code/labelSetMismatch`` when the names are not exactly the family's label names.
    public func labels(_ labels: [String: String]) throws(MetricsError) -> Metric {
        guard let key = LabelKey.make(labels, orderedBy: descriptor.labelNames) else {
            throw labelSetMismatch(labels)
        }
        return resolve(key: key) { names in names.map { labels[$0] ?? "" } }
    }

    /// The series for label values given in the family's declared label order.
    ///
    /// - Throws: ``MetricsError/Code/labelSetMismatch`` when the number of values is wrong.
    public func labels(values: [String]) throws(MetricsError) -> Metric {
        guard values.count == descriptor.labelNames.count else {
            throw MetricsError(
                .labelSetMismatch,
                metric: descriptor.name,
                "expected \(descriptor.labelNames.count) label values, got \(values.count)"
            )
        }
        return resolve(key: LabelKey.make(values)) { _ in values }
    }

    /// Removes the series with these labels; returns whether it existed. Handles to it stop being exported.
    @discardableResult
    public func remove(_ labels: [String: String]) throws(MetricsError) -> Bool {
        guard let key = LabelKey.make(labels, orderedBy: descriptor.labelNames) else {
            throw labelSetMismatch(labels)
        }
        if table[key] == nil, limits.screensLabelValues,
            let screened = screen(descriptor.labelNames.map { labels[$0] ?? "" }, counting: false)
        {
            return remove(key: screened)
        }
        return remove(key: key)
    }

    /// Removes every series. Handles to them stop being exported.
    public func removeAll() {
        for series in table.values { series.markDetached() }
        limits.budget.release(table.count)
        table.removeAll()
        lastActive.removeAll()
        sortedKeys = nil
    }

    /// The number of exported series.
    public var seriesCount: Int { table.count }

    /// The series for `key`; `values` gives the key's values in label order when the family
    /// screens them (only on a miss: a screened key is stored redacted, so a hit is never a secret).
    private func resolve(key: String, values: ([String]) -> [String]) -> Metric {
        if let existing = table[key] { return existing }
        if limits.screensLabelValues, let screened = screen(values(descriptor.labelNames), counting: true) {
            return create(key: screened)
        }
        return create(key: key)
    }

    /// The key with flagged values replaced, counting each replacement; nil when nothing is flagged.
    private func screen(_ values: [String], counting: Bool) -> String? {
        var replaced = values
        var flagged = false
        for (index, value) in values.enumerated() {
            guard let reason = LabelValueScreen.reason(for: value) else { continue }
            replaced[index] = LabelValueScreen.redactedValue
            flagged = true
            if counting { redactions[LabelRedaction(labelIndex: index, reason: reason), default: 0] += 1 }
        }
        return flagged ? LabelKey.make(replaced) : nil
    }

    private func create(key: String) -> Metric {
        if let existing = table[key] { return existing }
        let rejection: SeriesRejection?
        if table.count >= limits.maxSeries {
            rejection = .metricLimit
        } else if !limits.budget.tryAcquire() {
            rejection = .globalLimit
        } else {
            rejection = nil
        }
        let series = Metric(context: context)
        if let rejection {
            series.markDetached()
            rejected[rejection, default: 0] += 1
            limits.log.record(
                family: descriptor.name,
                reason: rejection,
                limit: rejection == .metricLimit ? limits.maxSeries : limits.budget.limit
            )
            return series
        }
        table[key] = series
        if limits.idleTTLNanoseconds != nil {
            lastActive[key] = context.clock.monotonicNanoseconds()
        }
        sortedKeys = nil
        return series
    }

    private func remove(key: String) -> Bool {
        guard let series = table.removeValue(forKey: key) else { return false }
        series.markDetached()
        limits.budget.release(1)
        lastActive.removeValue(forKey: key)
        sortedKeys = nil
        return true
    }

    private func labelSetMismatch(_ labels: [String: String]) -> MetricsError {
        MetricsError(
            .labelSetMismatch,
            metric: descriptor.name,
            "labels \(labels.keys.sorted()) do not match the family's label names \(descriptor.labelNames)"
        )
    }

    /// Expires idle series (when configured) and copies every series' values in output order.
    func snapshot() -> FamilySnapshot {
        expireIdleSeries()
        let ordered: [String]
        if let sortedKeys {
            ordered = sortedKeys
        } else {
            ordered = table.keys.sorted()
            sortedKeys = ordered
        }
        var series: [FamilySnapshot.Series] = []
        series.reserveCapacity(ordered.count)
        var counts = BucketCounts()
        if Metric.metricType == .histogram {
            counts.values.reserveCapacity(ordered.count * (descriptor.buckets.count + 1))
        }
        for key in ordered {
            guard let entry = table[key] else { continue }
            series.append(FamilySnapshot.Series(key: key, value: entry.snapshot(into: &counts)))
        }
        return FamilySnapshot(
            descriptor: descriptor,
            series: series,
            bucketCounts: counts,
            rejected: rejected,
            invalidUpdates: SeriesContext.InvalidUpdate.allCases.map { ($0, context.invalidUpdates($0)) },
            redactions: redactions
        )
    }

    private func expireIdleSeries() {
        guard let ttl = limits.idleTTLNanoseconds else { return }
        let now = context.clock.monotonicNanoseconds()
        var expired: [String] = []
        for (key, series) in table {
            if series.consumeActivity() {
                lastActive[key] = now
            } else if let seen = lastActive[key], now &- seen >= ttl {
                expired.append(key)
            }
        }
        for key in expired { _ = remove(key: key) }
    }
}

/// Family-level limits resolved from the registry configuration and ``FamilyOptions``.
struct FamilyLimits: Sendable {
    let maxSeries: Int
    let budget: CardinalityBudget
    let idleTTLNanoseconds: UInt64?
    let log: RejectionLog
    let screensLabelValues: Bool
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
