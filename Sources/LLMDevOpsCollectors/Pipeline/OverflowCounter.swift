import LLMDevOpsMetrics

/// Counts label values folded into `other` / `_unknown`, per metric and label, from a consumer.
final class OverflowCounter {
    private let cache: SeriesCache<CounterMetric>
    private var keys: [String: Int] = [:]

    init(_ family: CounterFamily) {
        self.cache = SeriesCache(family)
    }

    /// Counts one folded value of `label` in the event whose primary metric is `metric`.
    func count(metric: String, label: String) async {
        let name = metric + "\u{0}" + label
        let key: Int
        if let known = keys[name] {
            key = known
        } else {
            key = keys.count
            keys[name] = key
        }
        await cache.series(key) { [metric, label] }?.increment()
    }
}
