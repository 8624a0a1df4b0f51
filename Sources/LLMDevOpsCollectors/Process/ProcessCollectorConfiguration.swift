/// Settings of the `/proc` process collector.
public struct ProcessCollectorConfiguration: Sendable {
    /// Whether ``MetricsCollectors`` registers a ``ProcessCollector``.
    public var isEnabled: Bool
    /// The proc file system root; tests point it at a directory they control.
    public var procRoot: String

    /// Creates a configuration.
    public init(isEnabled: Bool = true, procRoot: String = "/proc") {
        self.isEnabled = isEnabled
        self.procRoot = procRoot
    }
}
