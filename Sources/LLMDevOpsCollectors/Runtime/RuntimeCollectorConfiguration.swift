/// Settings of the Swift runtime collector.
public struct RuntimeCollectorConfiguration: Sendable {
    /// Whether ``MetricsCollectors`` creates and runs a ``RuntimeCollector``.
    public var isEnabled: Bool
    /// The application version for `llmdevops_build_info{version}`.
    public var version: String
    /// The source revision for `llmdevops_build_info{revision}`.
    public var revision: String
    /// How often the runtime is sampled (10 ms to 60 s; default 1 s): thread count, allocator
    /// figures, uptime and one task-start-delay probe per interval.
    public var samplingInterval: Duration

    /// Creates a configuration.
    public init(
        isEnabled: Bool = true,
        version: String = "unknown",
        revision: String = "unknown",
        samplingInterval: Duration = .seconds(1)
    ) {
        self.isEnabled = isEnabled
        self.version = version
        self.revision = revision
        self.samplingInterval = samplingInterval
    }
}
