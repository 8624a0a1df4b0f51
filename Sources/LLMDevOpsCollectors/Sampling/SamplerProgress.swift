import LLMDevOpsMetrics

/// The highest sweep whose results a sampler has applied, and the tasks waiting for one:
/// ``MetricsCollectors/flush()`` waits for a sampler's first sweep, tests for the sweep they
/// ticked. Waiters are resumed after the lock is released.
final class SamplerProgress: Sendable {
    private struct State {
        var applied: UInt64 = 0
        var finished = false
        var waiters: [(sweep: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Lock(State())

    /// The highest sweep applied so far (0 before the first).
    var appliedSweep: UInt64 { state.withLock { $0.applied } }

    /// Records that every result of `sweep` has been applied.
    func applied(sweep: UInt64) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.applied = max(state.applied, sweep)
            let applied = state.applied
            let ready = state.waiters.filter { $0.sweep <= applied }.map(\.continuation)
            state.waiters.removeAll { $0.sweep <= applied }
            return ready
        }
        for waiter in ready { waiter.resume() }
    }

    /// Releases every waiter, now and later: the sampler has stopped.
    func finish() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.finished = true
            defer { state.waiters.removeAll() }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiting { waiter.resume() }
    }

    /// Returns once sweep `sweep` (or a later one) has been applied, or the sampler has stopped.
    func wait(forSweep sweep: UInt64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.applied >= sweep || state.finished { return true }
                state.waiters.append((sweep, continuation))
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
