import Logging
import Synchronization

/// Logs rejected series creations as warnings, at most one line per interval for the whole
/// registry, carrying how many rejections the line stands for. A flood of new label sets
/// therefore costs one log line per interval, never one per event. Without a logger it does
/// nothing.
final class RejectionLog: Sendable {
    private struct State {
        var lastLine: UInt64?
        var suppressed = 0
    }

    private let logger: Logger?
    private let intervalNanoseconds: UInt64
    private let clock: MetricsClock
    private let state = Lock(State())

    init(logger: Logger?, interval: Duration, clock: MetricsClock) {
        self.logger = logger
        self.intervalNanoseconds = interval.clampedNanoseconds
        self.clock = clock
    }

    func record(family: String, reason: SeriesRejection, limit: Int) {
        guard let logger else { return }
        let now = clock.monotonicNanoseconds()
        // Decide under the lock, log after releasing it.
        let represented: Int? = state.withLock { state in
            if let last = state.lastLine, now &- last < intervalNanoseconds {
                state.suppressed += 1
                return nil
            }
            let count = state.suppressed + 1
            state.lastLine = now
            state.suppressed = 0
            return count
        }
        guard let represented else { return }
        logger.warning(
            "Series creation rejected by a cardinality limit",
            metadata: [
                "llmdevops.registry.family": "\(family)",
                "llmdevops.registry.reason": "\(reason.rawValue)",
                "llmdevops.registry.limit": "\(limit)",
                "llmdevops.registry.rejections": "\(represented)",
            ]
        )
    }
}

/// Why a series was not created.
enum SeriesRejection: String, CaseIterable, Sendable {
    /// The family reached its own limit.
    case metricLimit = "metric_limit"
    /// The registry reached its global limit.
    case globalLimit = "global_limit"
}
