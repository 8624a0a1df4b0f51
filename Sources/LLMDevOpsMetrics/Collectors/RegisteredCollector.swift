import Synchronization

/// A pull collector with its validated declarations and health tallies.
final class RegisteredCollector: Sendable {
    let collector: any PullCollector
    private let declared: [String: MetricDescriptor]
    private let errors = Atomic<UInt64>(0)
    private let lastSucceeded = Atomic<Bool>(true)

    init(collector: any PullCollector) {
        self.collector = collector
        var declared: [String: MetricDescriptor] = [:]
        for descriptor in collector.metrics { declared[descriptor.name] = descriptor }
        self.declared = declared
    }

    var name: String { collector.name }
    var errorCount: UInt64 { errors.load(ordering: .relaxed) }
    var lastRunSucceeded: Bool { lastSucceeded.load(ordering: .relaxed) }

    func recordFailure() {
        errors.wrappingAdd(1, ordering: .relaxed)
        lastSucceeded.store(false, ordering: .relaxed)
    }

    /// Converts what the collector reported into snapshots, dropping (and counting as an error)
    /// samples of undeclared families, with the wrong labels or value kind, or invalid values.
    func snapshots(from collected: [CollectedFamily]) -> [FamilySnapshot] {
        var invalid = false
        var snapshots: [FamilySnapshot] = []
        var seenFamilies = Set<String>()
        for family in collected {
            guard let descriptor = declared[family.name], seenFamilies.insert(family.name).inserted else {
                invalid = true
                continue
            }
            var keyed: [FamilySnapshot.Series] = []
            var counts = BucketCounts()
            var seenKeys = Set<String>()
            for sample in family.samples {
                guard let key = key(for: sample.labels, descriptor),
                    let value = storage(for: sample.value, descriptor, &counts),
                    seenKeys.insert(key).inserted
                else {
                    invalid = true
                    continue
                }
                keyed.append(FamilySnapshot.Series(key: key, value: SeriesValue(value)))
            }
            keyed.sort { $0.key < $1.key }
            snapshots.append(FamilySnapshot(descriptor: descriptor, series: keyed, bucketCounts: counts))
        }
        if invalid {
            errors.wrappingAdd(1, ordering: .relaxed)
        }
        lastSucceeded.store(!invalid, ordering: .relaxed)
        return snapshots
    }

    private func key(for labels: [String: String], _ descriptor: MetricDescriptor) -> String? {
        guard labels.count == descriptor.labelNames.count else { return nil }
        var values: [String] = []
        for name in descriptor.labelNames {
            guard let value = labels[name] else { return nil }
            values.append(value)
        }
        return LabelKey.make(values)
    }

    private func storage(
        for value: CollectedSample.Value,
        _ descriptor: MetricDescriptor,
        _ bucketCounts: inout BucketCounts
    ) -> SeriesValue.Storage? {
        switch (value, descriptor.type) {
        case (.counter(let total), .counter) where total >= 0:
            return .counter(value: total, created: 0, exemplar: nil)
        case (.gauge(let gauge), .gauge):
            return .gauge(gauge)
        case (.histogram(let counts, let sum), .histogram)
        where counts.count == descriptor.buckets.count + 1 && zip(counts, counts.dropFirst()).allSatisfy({ $0 <= $1 }):
            return .histogram(counts: bucketCounts.append(cumulative: counts), sum: sum, created: 0, exemplars: [])
        case (.info, .info):
            return .info
        default:
            return nil
        }
    }
}
