import LLMDevOpsMetrics

/// A `Clock` whose time moves only when a test calls ``advance(by:)``. A sleeper wakes when the
/// clock reaches its deadline or when its task is cancelled (then it throws).
///
/// Handlers under test take it as their scrape-deadline clock: the test process runs dozens of
/// CPU-bound suites on as many cooperative threads as cores, which can keep an in-process scrape
/// from being scheduled for longer than the real timeout; tests that are not about the timeout
/// must not fail on that.
final class ManualTestClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        var deadline: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Duration = .zero
        var nextID = 0
        var sleepers: [Int: Sleeper] = [:]
    }

    private let state = Lock(State())

    var now: Instant { Instant(offset: state.withLock { $0.now }) }
    var minimumResolution: Duration { .zero }

    func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Next { case wait, wake, cancel }
                // Cancellation sets the flag before the handler runs: a sleeper stored after
                // the flag was set is never stored, one stored before is found by the handler.
                let next: Next = state.withLock { state in
                    if Task.isCancelled { return .cancel }
                    if deadline.offset <= state.now { return .wake }
                    state.sleepers[id] = Sleeper(deadline: deadline.offset, continuation: continuation)
                    return .wait
                }
                switch next {
                case .wait: break
                case .wake: continuation.resume()
                case .cancel: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward and wakes every sleeper whose deadline it reaches.
    func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now += duration
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers.removeValue(forKey: id) }
            return Array(due.values)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// How many sleepers wait (a test can wait for a timer to be armed).
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }
}
