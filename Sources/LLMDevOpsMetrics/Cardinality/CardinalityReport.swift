/// Where a registry's series go: the global budget, refused creations, redacted label values,
/// collector label overflow and, per family, its series, limit, rejections, idle expiries and
/// the label values that fill it. Computed by ``RegistryActor/cardinalityReport(topValues:)``;
/// the server shows it at `/debug/cardinality` and serialises it with ``json()``.
///
/// ```swift
/// let report = await registry.cardinalityReport()
/// for family in report.families where family.status != .ok {
///     print(family.name, family.series, "of", family.seriesLimit)
/// }
/// ```
///
/// The configuration keys (``globalLimitKey``, ``Family/limitKey``, ``Label/allowList``) are
/// `nil` from the registry, which does not know how it was configured; the server fills them in.
public struct CardinalityReport: Sendable, Hashable {
    /// The identifier of the JSON schema ``json()`` writes; it changes only when a field
    /// changes meaning or disappears (new fields may be added).
    public static let schema = "llmdevops.cardinality.v1"
    /// The share of a limit from which a family or the registry is ``Status/nearLimit``.
    public static let warningShare = 0.8

    /// How close something is to its limit.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// Below ``CardinalityReport/warningShare`` of the limit, nothing refused.
        case ok
        /// At or above ``CardinalityReport/warningShare`` of the limit.
        case nearLimit = "near_limit"
        /// At the limit, or new series were refused.
        case atLimit = "at_limit"
    }

    /// When the report was computed, in seconds since 1970 (the registry clock's wall time).
    public var computedAt: Double
    /// How long computing it took, in seconds.
    public var computeSeconds: Double
    /// Series held by all families (the global budget in use).
    public var series: Int
    /// The most series all families may hold (``RegistryConfiguration/maxSeries``).
    public var seriesLimit: Int
    /// The setting that raises ``seriesLimit``; filled in by whoever knows the configuration.
    public var globalLimitKey: String?
    /// Refused series creations of all families, by reason (`metric_limit`, `global_limit`).
    public var rejected: [ReasonCount]
    /// Label values the secret screen replaced with `_redacted`, per family, label and reason.
    public var redactions: [Redaction]
    /// Label values the collectors folded into `other` / `_unknown`
    /// (`llmdevops_collector_label_overflow_total`), per metric and label.
    public var collectorOverflow: [Overflow]
    /// Every registered family, most series first (then by name).
    public var families: [Family]

    /// Creates a report (the registry computes them; tests and other renderers may build one).
    public init(
        computedAt: Double,
        computeSeconds: Double,
        series: Int,
        seriesLimit: Int,
        globalLimitKey: String? = nil,
        rejected: [ReasonCount],
        redactions: [Redaction],
        collectorOverflow: [Overflow],
        families: [Family]
    ) {
        self.computedAt = computedAt
        self.computeSeconds = computeSeconds
        self.series = series
        self.seriesLimit = seriesLimit
        self.globalLimitKey = globalLimitKey
        self.rejected = rejected
        self.redactions = redactions
        self.collectorOverflow = collectorOverflow
        self.families = families
    }

    /// ``series`` as a share of ``seriesLimit`` (0 when there is no limit).
    public var share: Double { Self.share(series, of: seriesLimit) }

    /// How close the registry is to its global limit; ``Status/atLimit`` once a creation was
    /// refused by it.
    public var status: Status {
        let refused = rejected.first { $0.reason == "global_limit" }.map { $0.count > 0 } ?? false
        return Self.status(series: series, limit: seriesLimit, refused: refused)
    }

    static func share(_ count: Int, of limit: Int) -> Double {
        limit > 0 ? Double(count) / Double(limit) : 0
    }

    static func status(series: Int, limit: Int, refused: Bool) -> Status {
        if refused || (limit > 0 && series >= limit) { return .atLimit }
        if Double(series) >= warningShare * Double(limit) { return .nearLimit }
        return .ok
    }
}
