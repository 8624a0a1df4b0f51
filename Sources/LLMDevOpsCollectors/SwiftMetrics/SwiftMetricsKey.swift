import LLMDevOpsMetrics

/// The identity of one swift-metrics handler: its kind, its sanitised family name, and its
/// sanitised dimensions sorted by name, so that the same label and dimensions in any order give
/// the same key (and the same handler).
struct SwiftMetricsKey: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        /// `Counter` and `FloatingPointCounter`.
        case counter
        /// `Meter` and non-aggregating `Recorder`.
        case gauge
        /// `Timer`, in seconds.
        case timer
        /// Aggregating `Recorder`.
        case histogram
    }

    let kind: Kind
    /// The sanitised family name.
    let name: String
    /// Sanitised dimension names, sorted, unique.
    let labelNames: [String]
    /// The dimension values, in ``labelNames`` order.
    let labelValues: [String]

    init(kind: Kind, label: String, dimensions: [(String, String)]) {
        self.kind = kind
        var name = MetricNameRules.sanitizeMetricName(label)
        if kind == .timer, !name.hasSuffix("_seconds") { name += "_seconds" }
        self.name = name
        var byName: [String: String] = [:]
        for (dimension, value) in dimensions {
            var labelName = MetricNameRules.sanitizeLabelName(dimension)
            // Reserved by the exposition formats: keep the information under a usable name.
            if labelName == "le" || labelName == "quantile" { labelName += "_" }
            if byName[labelName] == nil { byName[labelName] = value }  // first occurrence wins
        }
        let names = byName.keys.sorted()
        self.labelNames = names
        self.labelValues = names.map { byName[$0] ?? "" }
    }
}
