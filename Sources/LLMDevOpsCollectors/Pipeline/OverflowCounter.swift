import LLMDevOpsMetrics
import Synchronization

/// Counts label values folded into `other` / `_unknown`, per metric and label. Shared by the
/// producers that apply events directly and the consumer; overflows are rare, so a lock is fine
/// (the key is two string references: no allocation).
final class OverflowCounter: Sendable {
    private struct Key: Hashable {
        let metric: String
        let label: String
    }

    private let family: CounterFamily
    private let handles = Lock<[Key: CounterMetric]>([:])

    init(_ family: CounterFamily) {
        self.family = family
    }

    /// Counts one folded value of `label` in the event whose primary metric is `metric`, if
    /// its series exists; returns false when it must be created first (``prepare(metric:label:)``).
    func increment(metric: String, label: String) -> Bool {
        let counted = handles.withLock { handles -> Bool in
            guard let handle = handles[Key(metric: metric, label: label)] else { return false }
            handle.increment()
            return true
        }
        return counted
    }

    /// Creates the series of (`metric`, `label`); false when the registry refused it.
    func prepare(metric: String, label: String) async -> Bool {
        guard let handle = try? await family.labels(values: [metric, label]) else { return false }
        handles.withLock { $0[Key(metric: metric, label: label)] = $0[Key(metric: metric, label: label)] ?? handle }
        return true
    }
}
