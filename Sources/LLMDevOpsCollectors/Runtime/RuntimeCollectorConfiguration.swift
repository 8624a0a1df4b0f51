/// Settings of the Swift runtime collector.
public struct RuntimeCollectorConfiguration: Sendable {
    /// Whether ``MetricsCollectors`` registers a ``RuntimeCollector``.
    public var isEnabled: Bool
    /// The application version for `llmdevops_build_info{version}`.
    public var version: String
    /// The source revision for `llmdevops_build_info{revision}`.
    public var revision: String

    /// Creates a configuration.
    public init(isEnabled: Bool = true, version: String = "unknown", revision: String = "unknown") {
        self.isEnabled = isEnabled
        self.version = version
        self.revision = revision
    }
}
