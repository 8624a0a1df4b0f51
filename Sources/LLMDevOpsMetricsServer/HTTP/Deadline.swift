import LLMDevOpsMetrics
import Synchronization

/// Races work against a timer without cancelling the work: a scrape that gives up on a slow
/// collection answers at once, while the collection runs on and fills the exposition cache for
/// the next scrape.
enum Deadline {
    /// The result of `work`, or nil when `timeout` passes first on `clock`.
    static func race<Value: Sendable>(
        _ timeout: Duration,
        on clock: any Clock<Duration> = ContinuousClock(),
        _ work: @escaping @Sendable () async -> Value
    ) async -> Value? {
        let slot = Lock<CheckedContinuation<Value?, Never>?>(nil)
        let resume: @Sendable (Value?) -> Void = { value in
            let continuation = slot.withLock { continuation in
                defer { continuation = nil }
                return continuation
            }
            continuation?.resume(returning: value)
        }
        return await withCheckedContinuation { continuation in
            slot.withLock { $0 = continuation }
            // Unstructured on purpose: the work must be able to outlive this scrape (see above),
            // and the timer is cancelled as soon as the work wins.
            let timer = Task {
                // A cancelled timer means the work won: it must not resume.
                guard (try? await clock.sleep(for: timeout, tolerance: nil)) != nil else { return }
                resume(nil)
            }
            Task {
                let value = await work()
                resume(value)
                timer.cancel()
            }
        }
    }
}
