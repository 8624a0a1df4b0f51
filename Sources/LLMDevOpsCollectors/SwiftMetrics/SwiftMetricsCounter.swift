import CoreMetrics
import LLMDevOpsMetrics
import Synchronization

/// The handler for swift-metrics `Counter` and `FloatingPointCounter`.
///
/// Creation is synchronous but the registry is an actor, so the series arrives later (from the
/// factory's registration consumer). Until then increments accumulate under a small lock; once
/// ``attach(_:)`` has published the series, recording is a lock-free load plus the series'
/// atomic add. `attach` moves the pending amount and publishes the series under the same lock,
/// so no increment is lost or counted twice.
final class SwiftMetricsCounter: CounterHandler, FloatingPointCounterHandler, Sendable {
    private struct Pending {
        var integer: Int64 = 0
        var floating: Double = 0
        var detached = false
    }

    let key: SwiftMetricsKey
    private let series = AtomicLazyReference<CounterMetric>()
    private let pending = Lock(Pending())

    init(key: SwiftMetricsKey) {
        self.key = key
    }

    func increment(by amount: Int64) {
        guard amount >= 0 else { return }
        if let series = series.load() {
            series.increment(by: Int(amount))
            return
        }
        pending.withLock { pending in
            if let series = series.load() {
                series.increment(by: Int(amount))
            } else if !pending.detached {
                pending.integer &+= amount
            }
        }
    }

    func increment(by amount: Double) {
        guard amount >= 0 else { return }
        if let series = series.load() {
            series.increment(by: amount)
            return
        }
        pending.withLock { pending in
            if let series = series.load() {
                series.increment(by: amount)
            } else if !pending.detached {
                pending.floating += amount
            }
        }
    }

    /// Prometheus counters never go down; a reset is ignored.
    func reset() {}

    /// Publishes the series and moves what was recorded before into it.
    func attach(_ metric: CounterMetric) {
        pending.withLock { pending in
            guard !pending.detached, series.load() == nil else { return }
            if pending.integer > 0 { metric.increment(by: Int(pending.integer)) }
            if pending.floating > 0 { metric.increment(by: pending.floating) }
            pending = Pending()
            _ = series.storeIfNil(metric)
        }
    }

    /// Stops accepting values that have no series yet (after destroy or a failed registration).
    func detach() {
        pending.withLock { $0 = Pending(detached: true) }
    }
}
