import LLMDevOpsMetrics
import Synchronization

/// Counts label values folded into `other` / `_unknown`, per metric and label. Shared by the
/// producers that apply events directly and the consumer; overflows are rare, so a lock is fine.
final class OverflowCounter: Sendable {
    private let family: CounterFamily
    private let handles = Lock<[String: CounterMetric]>([:])

    init(_ family: CounterFamily) {
        self.family = family
    }

    /// Counts one folded value of `label` in the event whose primary metric is `metric`.
    func count(metric: String, label: String) async {
        let name = metric + "\u{0}" + label
        if let handle = handles.withLock({ $0[name] }) {
            handle.increment()
            return
        }
        guard let handle = try? await family.labels(values: [metric, label]) else { return }
        handles.withLock { $0[name] = handle }
        handle.increment()
    }
}
