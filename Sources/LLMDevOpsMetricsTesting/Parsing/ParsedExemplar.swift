/// An OpenMetrics exemplar: `# {labels} value [timestamp]`.
public struct ParsedExemplar: Sendable, Equatable {
    /// Exemplar labels with unescaped values.
    public var labels: [String: String]
    /// The exemplar value.
    public var value: Double
    /// The exemplar timestamp in seconds, if present.
    public var timestamp: Double?

    /// Creates an exemplar value.
    public init(labels: [String: String] = [:], value: Double, timestamp: Double? = nil) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    /// Equal when every field is equal; a NaN value equals a NaN value.
    public static func == (lhs: ParsedExemplar, rhs: ParsedExemplar) -> Bool {
        lhs.labels == rhs.labels
            && SampleValueComparison.areEqual(lhs.value, rhs.value)
            && lhs.timestamp == rhs.timestamp
    }
}
