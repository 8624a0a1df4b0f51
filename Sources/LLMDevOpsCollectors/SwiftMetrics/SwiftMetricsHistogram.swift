import CoreMetrics
import LLMDevOpsMetrics
import Synchronization

/// The handler for swift-metrics `Timer` (nanoseconds recorded, seconds observed) and
/// aggregating `Recorder`: a histogram. Observations made before the series exists are kept,
/// up to a limit, and replayed when it is attached; see ``SwiftMetricsCounter`` for the
/// hand-over.
final class SwiftMetricsHistogram: TimerHandler, RecorderHandler, Sendable {
    private struct Pending {
        var values: [Double] = []
        var dropped = 0
        var detached = false
    }

    let key: SwiftMetricsKey
    private let maxPending: Int
    private let series = AtomicLazyReference<HistogramMetric>()
    private let pending = Lock(Pending())

    init(key: SwiftMetricsKey, maxPending: Int) {
        self.key = key
        self.maxPending = maxPending
    }

    func recordNanoseconds(_ duration: Int64) {
        observe(Double(duration) / 1e9)
    }

    func record(_ value: Int64) { observe(Double(value)) }

    func record(_ value: Double) { observe(value) }

    private func observe(_ value: Double) {
        if let series = series.load() {
            series.observe(value)
            return
        }
        pending.withLock { pending in
            if let series = series.load() {
                series.observe(value)
            } else if pending.detached {
                return
            } else if pending.values.count < maxPending {
                pending.values.append(value)
            } else {
                pending.dropped += 1
            }
        }
    }

    /// Publishes the series and replays the observations made before. Returns how many had to
    /// be dropped while waiting.
    @discardableResult
    func attach(_ metric: HistogramMetric) -> Int {
        pending.withLock { pending in
            guard !pending.detached, series.load() == nil else { return 0 }
            for value in pending.values { metric.observe(value) }
            let dropped = pending.dropped
            pending = Pending()
            _ = series.storeIfNil(metric)
            return dropped
        }
    }

    /// Stops accepting values that have no series yet.
    func detach() {
        pending.withLock { $0 = Pending(detached: true) }
    }
}
