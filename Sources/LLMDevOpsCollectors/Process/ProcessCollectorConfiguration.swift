/// Settings of the `/proc` process collector.
public struct ProcessCollectorConfiguration: Sendable {
    /// Whether ``MetricsCollectors`` creates and runs a ``ProcessCollector``.
    public var isEnabled: Bool
    /// The proc file system root; tests point it at a directory they control.
    public var procRoot: String
    /// How often the sources are read (10 ms to 60 s; default 1 s). Scrapes never read them:
    /// they export the latest sample, at most this old.
    public var samplingInterval: Duration

    /// The shortest and longest sampling intervals ``CollectorsConfiguration/validate()`` accepts.
    public static let samplingIntervals: ClosedRange<Duration> = .milliseconds(10) ... .seconds(60)

    /// Creates a configuration.
    public init(isEnabled: Bool = true, procRoot: String = "/proc", samplingInterval: Duration = .seconds(1)) {
        self.isEnabled = isEnabled
        self.procRoot = procRoot
        self.samplingInterval = samplingInterval
    }
}
