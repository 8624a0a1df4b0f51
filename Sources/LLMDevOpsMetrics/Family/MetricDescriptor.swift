/// The identity of a metric family: name, type, help, unit, label names and (for histograms)
/// bucket upper bounds. Two registrations with equal descriptors share one family.
///
/// `name` is the family name as OpenMetrics spells it: a counter registered as
/// `requests_total` has the name `requests`, an info metric registered as `build_info` has
/// the name `build`. Text 0.0.4 output adds the suffix back.
public struct MetricDescriptor: Sendable, Hashable {
    /// The family name without the `_total` (counter) or `_info` (info) suffix.
    public let name: String
    /// The metric type.
    public let type: MetricType
    /// Help text; `nil` when none (or an empty one) was given.
    public let help: String?
    /// Unit; `nil` when none (or an empty one) was given. When set, `name` ends in `_<unit>`.
    public let unit: String?
    /// Label names in the order the family declared them.
    public let labelNames: [String]
    /// Histogram bucket upper bounds, sorted, unique and finite; `+Inf` is implicit.
    public let buckets: [Double]

    /// Validates and normalises a metric declaration. An empty `help` or `unit` counts as none.
    ///
    /// - Throws: ``MetricsError`` for an invalid or colon-containing name, an invalid unit,
    ///   invalid, reserved or duplicate label names, or NaN buckets.
    public init(
        type: MetricType,
        name rawName: String,
        help: String? = nil,
        unit: String? = nil,
        labelNames: [String] = [],
        buckets: [Double] = []
    ) throws(MetricsError) {
        let help = help.flatMap { $0.isEmpty ? nil : $0 }
        let unit = unit.flatMap { $0.isEmpty ? nil : $0 }
        let name = Self.familyName(for: rawName, type: type)
        guard MetricNameRules.isValidMetricName(name), !name.utf8.contains(UInt8(ascii: ":")) else {
            throw MetricsError(
                .invalidMetricName,
                metric: rawName,
                "a metric name must match [a-zA-Z_][a-zA-Z0-9_]* (colons are reserved for recording rules)"
            )
        }
        if let unit {
            guard MetricNameRules.isValidLabelName(unit), !unit.hasPrefix("_") else {
                throw MetricsError(.invalidUnit, metric: rawName, "unit '\(unit)' must match [a-zA-Z0-9][a-zA-Z0-9_]*")
            }
            guard name.hasSuffix("_" + unit) else {
                throw MetricsError(.invalidUnit, metric: rawName, "a metric with unit '\(unit)' must be named *_\(unit)")
            }
        }
        var seen = Set<String>()
        for label in labelNames {
            guard MetricNameRules.isValidLabelName(label) else {
                throw MetricsError(.invalidLabelName, metric: rawName, "label name '\(label)' must match [a-zA-Z_][a-zA-Z0-9_]*")
            }
            if label.hasPrefix("__") || label == "quantile" || (type == .histogram && label == "le") {
                throw MetricsError(.reservedLabelName, metric: rawName, "label name '\(label)' is reserved")
            }
            guard seen.insert(label).inserted else {
                throw MetricsError(.duplicateLabelName, metric: rawName, "label name '\(label)' appears twice")
            }
        }
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
        self.labelNames = labelNames
        self.buckets = type == .histogram ? try HistogramBuckets.normalize(buckets, metric: rawName) : []
    }

    /// A descriptor for the library's own metrics, whose names and labels are known to be valid.
    init(builtIn type: MetricType, name: String, help: String, labelNames: [String]) {
        self.name = Self.familyName(for: name, type: type)
        self.type = type
        self.help = help
        self.unit = nil
        self.labelNames = labelNames
        self.buckets = []
    }

    /// A family name with the type's sample suffix removed.
    static func familyName(for name: String, type: MetricType) -> String {
        switch type {
        case .counter where name.hasSuffix("_total") && name.utf8.count > 6:
            return String(name.dropLast(6))
        case .info where name.hasSuffix("_info") && name.utf8.count > 5:
            return String(name.dropLast(5))
        default:
            return name
        }
    }

    /// What `format` appends to ``name`` in the family's `# TYPE`, `# HELP` and `# UNIT` lines:
    /// text 0.0.4 names counter families with `_total` and info families (typed `gauge` there)
    /// with `_info`; OpenMetrics prints the name alone. Protobuf family names are those of text
    /// 0.0.4, as client_golang writes them.
    func metadataSuffix(in format: ExpositionFormat) -> String {
        switch (type, format) {
        case (.counter, .prometheusText), (.counter, .protobuf): "_total"
        case (.info, .prometheusText), (.info, .protobuf): "_info"
        case (.counter, .openMetrics), (.info, .openMetrics), (.gauge, _), (.histogram, _): ""
        }
    }

    /// Whether this family comes before `other` in `format`'s output: byte order of the family
    /// names as the format prints them (``name`` plus ``metadataSuffix(in:)``), compared without
    /// building the longer names.
    func precedes(_ other: MetricDescriptor, in format: ExpositionFormat) -> Bool {
        let suffix = metadataSuffix(in: format)
        let otherSuffix = other.metadataSuffix(in: format)
        var lhsName = name.utf8.makeIterator()
        var lhsSuffix = suffix.utf8.makeIterator()
        var rhsName = other.name.utf8.makeIterator()
        var rhsSuffix = otherSuffix.utf8.makeIterator()
        while true {
            let lhs = lhsName.next() ?? lhsSuffix.next()
            let rhs = rhsName.next() ?? rhsSuffix.next()
            switch (lhs, rhs) {
            case (nil, nil): return false
            case (nil, _?): return true
            case (_?, nil): return false
            case (let lhs?, let rhs?) where lhs != rhs: return lhs < rhs
            case (_?, _?): continue
            }
        }
    }

    /// Every family and sample name this family produces in either format. Two families in one
    /// registry must not share any of them.
    var claimedNames: [String] {
        switch type {
        case .counter: [name, name + "_total", name + "_created"]
        case .gauge: [name]
        case .histogram: [name, name + "_bucket", name + "_count", name + "_sum", name + "_created"]
        case .info: [name, name + "_info"]
        }
    }

    /// The error that explains why `other` cannot share this descriptor's family, or nil when equal.
    func mismatch(with other: MetricDescriptor, metric: String) -> MetricsError? {
        if type != other.type {
            return MetricsError(.typeMismatch, metric: metric, "already registered as a \(type.rawValue), not a \(other.type.rawValue)")
        }
        if help != other.help {
            return MetricsError(.helpMismatch, metric: metric, "already registered with help '\(help ?? "")'")
        }
        if unit != other.unit {
            return MetricsError(.unitMismatch, metric: metric, "already registered with unit '\(unit ?? "")'")
        }
        if labelNames != other.labelNames {
            return MetricsError(.labelNamesMismatch, metric: metric, "already registered with labels \(labelNames)")
        }
        if buckets != other.buckets {
            return MetricsError(.bucketsMismatch, metric: metric, "already registered with buckets \(buckets)")
        }
        return nil
    }
}
