import LLMDevOpsMetrics
import Synchronization

/// A pull collector whose runs can be held open until released, to make collection slow on
/// demand. Each run reports its own number as a gauge, so bodies of different runs differ.
final class HeldCollector: PullCollector {
    let name = "held"
    let metrics: [MetricDescriptor]
    private let runs = Atomic<Int>(0)
    /// nil: runs pass; an array: runs wait there.
    private let gate = Lock<[CheckedContinuation<Void, Never>]?>(nil)
    private let started: AsyncStream<Void>.Continuation
    let startedRuns: AsyncStream<Void>

    init(holding: Bool = false) throws {
        metrics = [try MetricDescriptor(type: .gauge, name: "test_collector_runs")]
        (startedRuns, started) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .unbounded)
        if holding { hold() }
    }

    var runCount: Int { runs.load(ordering: .relaxed) }

    func collect() async throws -> [CollectedFamily] {
        let run = runs.add(1, ordering: .relaxed).newValue
        started.yield()
        await withCheckedContinuation { continuation in
            let held = gate.withLock { waiting -> Bool in
                guard waiting != nil else { return false }
                waiting?.append(continuation)
                return true
            }
            if !held { continuation.resume() }
        }
        return [CollectedFamily(name: "test_collector_runs", samples: [CollectedSample(value: .gauge(Double(run)))])]
    }

    /// Makes later runs wait.
    func hold() {
        gate.withLock { if $0 == nil { $0 = [] } }
    }

    /// Lets waiting runs finish and stops holding.
    func release() {
        let waiting = gate.withLock { waiting -> [CheckedContinuation<Void, Never>] in
            defer { waiting = nil }
            return waiting ?? []
        }
        for continuation in waiting { continuation.resume() }
    }
}
