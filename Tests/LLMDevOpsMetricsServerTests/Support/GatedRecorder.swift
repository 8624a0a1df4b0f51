import LLMDevOpsCollectors
import LLMDevOpsMetrics
import Synchronization

/// An event recorder whose `record` calls wait until ``release()``, to hold the sidecar
/// listener in the middle of applying a connection's lines (a slow collector on demand).
/// Counts what it was given; `started` yields once per `record` call as it begins.
final class GatedRecorder: LLMEventRecording, AgentEventRecording {
    private struct State {
        var held: [CheckedContinuation<Void, Never>]? = []
        var recorded = 0
    }

    private let state = Lock(State())
    private let startedContinuation: AsyncStream<Void>.Continuation
    let started: AsyncStream<Void>

    init() {
        (started, startedContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .unbounded)
    }

    var recorded: Int { state.withLock { $0.recorded } }

    func record(_ event: LLMEvent) async { await pass() }
    func record(_ event: AgentEvent) async { await pass() }
    func flush() async {}

    /// Lets every waiting and later `record` through.
    func release() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state.held = nil }
            return state.held ?? []
        }
        for continuation in waiting { continuation.resume() }
    }

    private func pass() async {
        startedContinuation.yield()
        await withCheckedContinuation { continuation in
            let held = state.withLock { state -> Bool in
                guard state.held != nil else { return false }
                state.held?.append(continuation)
                return true
            }
            if !held { continuation.resume() }
        }
        state.withLock { $0.recorded += 1 }
    }
}
