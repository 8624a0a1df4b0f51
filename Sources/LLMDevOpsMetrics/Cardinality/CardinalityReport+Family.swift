extension CardinalityReport {
    /// One family of the report.
    public struct Family: Sendable, Hashable {
        /// The family name as OpenMetrics spells it (the `family` label of
        /// `llmdevops_registry_series`): a counter without `_total`.
        public var name: String
        /// The metric type.
        public var type: MetricType
        /// Series held.
        public var series: Int
        /// The most series the family may hold.
        public var seriesLimit: Int
        /// The setting that raises ``seriesLimit`` (or, when the global limit refused this
        /// family's series, the one that raises the global limit); filled in by the server.
        public var limitKey: String?
        /// Refused creations by reason (`metric_limit`, `global_limit`); reasons never seen are
        /// listed with 0.
        public var rejected: [ReasonCount]
        /// Series removed because they were idle longer than the family's idle TTL.
        public var idleExpiries: UInt64
        /// The family's labels in declared order.
        public var labels: [Label]

        /// Creates a family entry.
        public init(
            name: String,
            type: MetricType,
            series: Int,
            seriesLimit: Int,
            limitKey: String? = nil,
            rejected: [ReasonCount],
            idleExpiries: UInt64,
            labels: [Label]
        ) {
            self.name = name
            self.type = type
            self.series = series
            self.seriesLimit = seriesLimit
            self.limitKey = limitKey
            self.rejected = rejected
            self.idleExpiries = idleExpiries
            self.labels = labels
        }

        /// ``series`` as a share of ``seriesLimit``.
        public var share: Double { CardinalityReport.share(series, of: seriesLimit) }

        /// All refused creations, whatever the reason.
        public var rejectedTotal: UInt64 { rejected.reduce(0) { $0 + $1.count } }

        /// ``Status/atLimit`` when full or refusing, ``Status/nearLimit`` from
        /// ``CardinalityReport/warningShare`` of the limit.
        public var status: Status {
            CardinalityReport.status(series: series, limit: seriesLimit, refused: rejectedTotal > 0)
        }
    }

    /// One label of a family: how many distinct values it has and which fill the family most.
    public struct Label: Sendable, Hashable {
        /// The label name.
        public var name: String
        /// Distinct values among the family's series.
        public var distinctValues: Int
        /// The values with the most series, most first (ties by value).
        public var topValues: [ValueCount]
        /// The setting whose allow-list admits this label's values (for collector labels such
        /// as `model`); filled in by the server.
        public var allowList: String?

        /// Creates a label entry.
        public init(name: String, distinctValues: Int, topValues: [ValueCount], allowList: String? = nil) {
            self.name = name
            self.distinctValues = distinctValues
            self.topValues = topValues
            self.allowList = allowList
        }
    }

    /// A label value and the number of series that carry it.
    public struct ValueCount: Sendable, Hashable {
        /// The label value, unescaped.
        public var value: String
        /// Series with this value.
        public var series: Int

        /// Creates an entry.
        public init(value: String, series: Int) {
            self.value = value
            self.series = series
        }
    }

    /// A count by reason.
    public struct ReasonCount: Sendable, Hashable {
        /// The reason (`metric_limit`, `global_limit`).
        public var reason: String
        /// How many.
        public var count: UInt64

        /// Creates an entry.
        public init(reason: String, count: UInt64) {
            self.reason = reason
            self.count = count
        }
    }

    /// Label values of one family and label that the secret screen replaced.
    public struct Redaction: Sendable, Hashable {
        /// The family name.
        public var family: String
        /// The label name.
        public var label: String
        /// Why (a ``LabelValueScreen/Reason`` raw value).
        public var reason: String
        /// How many values.
        public var count: UInt64

        /// Creates an entry.
        public init(family: String, label: String, reason: String, count: UInt64) {
            self.family = family
            self.label = label
            self.reason = reason
            self.count = count
        }
    }

    /// Label values a collector folded into `other` / `_unknown` for one metric and label.
    public struct Overflow: Sendable, Hashable {
        /// The metric whose event carried the value.
        public var metric: String
        /// The label name.
        public var label: String
        /// How many events.
        public var count: UInt64

        /// Creates an entry.
        public init(metric: String, label: String, count: UInt64) {
            self.metric = metric
            self.label = label
            self.count = count
        }
    }
}
