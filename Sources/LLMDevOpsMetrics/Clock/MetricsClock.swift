#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The time source of a registry: wall-clock seconds for timestamps that leave the process
/// (`_created`, exemplars, ``GaugeMetric/setToCurrentTime()``) and a monotonic clock for
/// durations (cache TTL, idle-series expiry, log rate limits).
///
/// Production code uses ``system``; tests inject a manual clock, for example the one in
/// `LLMDevOpsMetricsTesting`.
public struct MetricsClock: Sendable {
    /// Seconds since the Unix epoch.
    public var wallSeconds: @Sendable () -> Double
    /// Nanoseconds on a monotonic clock with an arbitrary origin.
    public var monotonicNanoseconds: @Sendable () -> UInt64

    /// Creates a clock from two time sources.
    public init(
        wallSeconds: @escaping @Sendable () -> Double,
        monotonicNanoseconds: @escaping @Sendable () -> UInt64
    ) {
        self.wallSeconds = wallSeconds
        self.monotonicNanoseconds = monotonicNanoseconds
    }

    /// The system's realtime and monotonic clocks.
    public static let system = MetricsClock(
        wallSeconds: {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            return Double(now.tv_sec) + Double(now.tv_nsec) / 1_000_000_000
        },
        monotonicNanoseconds: {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
        }
    )
}
