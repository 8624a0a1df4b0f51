import LLMDevOpsMetrics
import Synchronization

/// Failed reads per source, kept across scrapes.
final class ReadErrorTally: Sendable {
    private let counts = Lock<[ProcessCollector.Source: UInt64]>([:])

    func count(_ source: ProcessCollector.Source) {
        counts.withLock { $0[source, default: 0] += 1 }
    }

    func snapshot() -> [ProcessCollector.Source: UInt64] {
        counts.withLock { $0 }
    }
}
