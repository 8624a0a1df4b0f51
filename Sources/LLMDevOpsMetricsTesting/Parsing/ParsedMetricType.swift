/// A metric family type and the sample names it may produce in each format.
enum ParsedMetricType: String {
    case counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown, untyped

    /// The type named `name` if `syntax` allows it (lower case, exactly as written).
    init?(named name: String, syntax: ExpositionSyntax) {
        guard let type = ParsedMetricType(rawValue: name), type.isValid(in: syntax) else { return nil }
        self = type
    }

    /// The type of a family without a `# TYPE` line.
    static func untypedDefault(for syntax: ExpositionSyntax) -> ParsedMetricType {
        syntax == .openMetrics ? .unknown : .untyped
    }

    func isValid(in syntax: ExpositionSyntax) -> Bool {
        switch syntax {
        case .prometheusText:
            return [.counter, .gauge, .histogram, .summary, .untyped].contains(self)
        case .openMetrics:
            return self != .untyped
        }
    }

    /// Suffixes appended to the family name to form the names of its samples.
    func sampleSuffixes(in syntax: ExpositionSyntax) -> [String] {
        switch (self, syntax) {
        case (.counter, .openMetrics): return ["_total", "_created"]
        case (.histogram, .openMetrics): return ["_bucket", "_count", "_sum", "_created"]
        case (.histogram, .prometheusText): return ["_bucket", "_count", "_sum"]
        case (.gaugehistogram, _): return ["_bucket", "_gcount", "_gsum"]
        case (.summary, .openMetrics): return ["", "_count", "_sum", "_created"]
        case (.summary, .prometheusText): return ["", "_count", "_sum"]
        case (.info, _): return ["_info"]
        default: return [""]
        }
    }

    /// Names reserved by a family of this type: its own name and all its sample names.
    /// No other family may use any of them.
    func reservedSuffixes(in syntax: ExpositionSyntax) -> [String] {
        let suffixes = sampleSuffixes(in: syntax)
        return suffixes.contains("") ? suffixes : [""] + suffixes
    }

    /// Whether a `# UNIT` line is allowed for this type (OpenMetrics: not for info or stateset).
    var allowsUnit: Bool {
        self != .info && self != .stateset
    }

    /// Histogram and gauge histogram share the bucket rules.
    var hasBuckets: Bool {
        self == .histogram || self == .gaugehistogram
    }

    /// Exemplars are allowed on counter `_total` and (gauge) histogram `_bucket` samples only.
    func allowsExemplar(onSuffix suffix: String) -> Bool {
        (self == .counter && suffix == "_total") || (hasBuckets && suffix == "_bucket")
    }
}
