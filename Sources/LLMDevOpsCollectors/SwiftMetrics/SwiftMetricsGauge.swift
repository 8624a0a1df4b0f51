import CoreMetrics
import LLMDevOpsMetrics
import Synchronization

/// The handler for swift-metrics `Meter` and non-aggregating `Recorder`: a gauge. Values set
/// before the series exists are kept (the latest value, with increments applied) and written
/// when it is attached; see ``SwiftMetricsCounter`` for the hand-over.
final class SwiftMetricsGauge: MeterHandler, RecorderHandler, Sendable {
    private struct Pending {
        var value: Double = 0
        var touched = false
        var detached = false
    }

    let key: SwiftMetricsKey
    private let series = AtomicLazyReference<GaugeMetric>()
    private let pending = Lock(Pending())

    init(key: SwiftMetricsKey) {
        self.key = key
    }

    func set(_ value: Int64) { set(Double(value)) }

    func set(_ value: Double) {
        update { $0.set(to: value) } pending: { $0 = value }
    }

    func increment(by amount: Double) {
        update { $0.increment(by: amount) } pending: { $0 += amount }
    }

    func decrement(by amount: Double) {
        update { $0.decrement(by: amount) } pending: { $0 -= amount }
    }

    func record(_ value: Int64) { set(Double(value)) }

    func record(_ value: Double) { set(value) }

    private func update(_ live: (GaugeMetric) -> Void, pending change: (inout Double) -> Void) {
        if let series = series.load() {
            live(series)
            return
        }
        pending.withLock { pending in
            if let series = series.load() {
                live(series)
            } else if !pending.detached {
                change(&pending.value)
                pending.touched = true
            }
        }
    }

    /// Publishes the series and writes the value recorded before.
    func attach(_ metric: GaugeMetric) {
        pending.withLock { pending in
            guard !pending.detached, series.load() == nil else { return }
            if pending.touched { metric.set(to: pending.value) }
            pending = Pending()
            _ = series.storeIfNil(metric)
        }
    }

    /// Stops accepting values that have no series yet.
    func detach() {
        pending.withLock { $0 = Pending(detached: true) }
    }
}
