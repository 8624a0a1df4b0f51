/// One sample line.
public struct ParsedSample: Sendable, Equatable {
    /// Full sample name, e.g. `foo_total` or `foo_bucket`.
    public var name: String
    /// Labels with unescaped values.
    public var labels: [String: String]
    /// The sample value.
    public var value: Double
    /// Timestamp in seconds (text format milliseconds are converted to seconds).
    public var timestamp: Double?
    /// The exemplar attached to the sample (OpenMetrics only).
    public var exemplar: ParsedExemplar?

    /// Creates a sample value.
    public init(
        name: String,
        labels: [String: String] = [:],
        value: Double,
        timestamp: Double? = nil,
        exemplar: ParsedExemplar? = nil
    ) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
        self.exemplar = exemplar
    }

    /// Equal when every field is equal; a NaN value equals a NaN value.
    public static func == (lhs: ParsedSample, rhs: ParsedSample) -> Bool {
        lhs.name == rhs.name
            && lhs.labels == rhs.labels
            && SampleValueComparison.areEqual(lhs.value, rhs.value)
            && lhs.timestamp == rhs.timestamp
            && lhs.exemplar == rhs.exemplar
    }
}

/// Value comparison used by the parsed value types: NaN equals NaN.
enum SampleValueComparison {
    static func areEqual(_ lhs: Double, _ rhs: Double) -> Bool {
        (lhs.isNaN && rhs.isNaN) || lhs == rhs
    }
}
