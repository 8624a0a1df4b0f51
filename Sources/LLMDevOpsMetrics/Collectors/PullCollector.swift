/// A source of values computed when the registry collects, such as process or runtime
/// statistics. The registry validates ``metrics`` at registration (names, labels, clashes with
/// other families) and every collected sample against them.
///
/// A collector that throws does not fail the scrape: its families are left out,
/// `llmdevops_registry_collector_success{collector}` becomes 0 and
/// `llmdevops_registry_collector_errors_total{collector}` goes up.
public protocol PullCollector: Sendable {
    /// A short name for the `collector` label of the error metrics, such as `process`.
    var name: String { get }
    /// The families this collector reports.
    var metrics: [MetricDescriptor] { get }
    /// Computes the current values.
    func collect() async throws -> [CollectedFamily]
}

/// Values a ``PullCollector`` reports for one of its declared families.
public struct CollectedFamily: Sendable {
    /// The family's ``MetricDescriptor/name``.
    public var name: String
    /// One entry per series.
    public var samples: [CollectedSample]

    /// Creates a family of samples.
    public init(name: String, samples: [CollectedSample]) {
        self.name = name
        self.samples = samples
    }
}

/// One series of a ``CollectedFamily``.
public struct CollectedSample: Sendable {
    /// Label values by name; the names must be the family's label names.
    public var labels: [String: String]
    /// The value, whose kind must match the family's type.
    public var value: Value

    /// A collected value.
    public enum Value: Sendable {
        /// A counter total (never negative or NaN).
        case counter(Double)
        /// A gauge value.
        case gauge(Double)
        /// Cumulative counts for each declared bucket and then `+Inf`, and the sum.
        case histogram(cumulativeCounts: [UInt64], sum: Double)
        /// An info series (value 1).
        case info
    }

    /// Creates a sample.
    public init(labels: [String: String] = [:], value: Value) {
        self.labels = labels
        self.value = value
    }
}
