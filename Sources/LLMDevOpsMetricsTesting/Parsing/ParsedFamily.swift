/// One metric family: its metadata and samples.
public struct ParsedFamily: Sendable, Equatable {
    /// Family name as in `# TYPE` (OpenMetrics: counter name without `_total`; text format: as written).
    public var name: String
    /// `counter`, `gauge`, `histogram`, `gaugehistogram`, `summary`, `info`, `stateset`, `unknown` or `untyped`.
    ///
    /// Families without a `# TYPE` line are `unknown` (OpenMetrics) or `untyped` (text format).
    public var type: String
    /// The unescaped `# HELP` text, or `nil` when there is no `# HELP` line.
    public var help: String?
    /// The `# UNIT` value as written (OpenMetrics only), or `nil` when there is no `# UNIT` line.
    public var unit: String?
    /// The family's samples in order of appearance.
    public var samples: [ParsedSample]

    /// Creates a family value.
    public init(
        name: String,
        type: String,
        help: String? = nil,
        unit: String? = nil,
        samples: [ParsedSample] = []
    ) {
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
        self.samples = samples
    }
}
