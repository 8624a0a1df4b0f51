import LLMDevOpsMetrics

/// Lets one ``MetricsCollectors/reload(_:)`` run at a time (reloads await the registry, so a
/// plain lock cannot span them); later callers wait in arrival order.
final class ReloadGate: Sendable {
    private struct State {
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Lock(State())

    /// Runs `body` when no other body runs.
    func run<Result: Sendable>(_ body: () async -> Result) async -> Result {
        await withCheckedContinuation { (entered: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                guard state.busy else {
                    state.busy = true
                    return true
                }
                state.waiting.append(entered)
                return false
            }
            if now { entered.resume() }
        }
        let result = await body()
        // Hand the gate to the next caller (it stays busy), or open it.
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.busy = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
        return result
    }
}
