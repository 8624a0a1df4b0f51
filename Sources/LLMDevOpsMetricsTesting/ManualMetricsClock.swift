public import LLMDevOpsMetrics
import Synchronization

/// A clock that moves only when told to, for tests of timestamps, cache TTLs and expiry.
///
/// ```swift
/// let time = ManualMetricsClock(wallSeconds: 1_700_000_000)
/// let registry = RegistryActor(configuration: RegistryConfiguration(clock: time.clock))
/// time.advance(by: .seconds(2))
/// ```
public final class ManualMetricsClock: Sendable {
    private struct Now {
        var wallSeconds: Double
        var monotonicNanoseconds: UInt64
    }

    private let now: Lock<Now>

    /// Creates a clock at the given wall time, with the monotonic clock at an arbitrary origin.
    public init(wallSeconds: Double = 1_700_000_000) {
        self.now = Lock(Now(wallSeconds: wallSeconds, monotonicNanoseconds: 1_000_000_000))
    }

    /// Moves both clocks forward.
    public func advance(by duration: Duration) {
        let nanoseconds = duration.clampedNanoseconds
        now.withLock {
            $0.monotonicNanoseconds += nanoseconds
            $0.wallSeconds += Double(nanoseconds) / 1_000_000_000
        }
    }

    /// The `MetricsClock` to hand to a registry.
    public var clock: MetricsClock {
        MetricsClock(
            wallSeconds: { [self] in self.now.withLock { $0.wallSeconds } },
            monotonicNanoseconds: { [self] in self.now.withLock { $0.monotonicNanoseconds } }
        )
    }
}
