import LLMDevOpsCollectors
import LLMDevOpsSidecarEmitter
import Synchronization

/// Forwards to a ``SidecarEmitter`` at about `eventsPerSecond`, sleeping every 100 events until
/// the next batch is due (pacing only; nothing waits on it for synchronisation).
struct PacedRecorder: LLMEventRecording, AgentEventRecording {
    final class Counter: Sendable {
        let count = Atomic<Int>(0)
    }

    let emitter: SidecarEmitter
    let eventsPerSecond: Double
    let clock: ContinuousClock
    let start: ContinuousClock.Instant
    let counter = Counter()

    func record(_ event: LLMEvent) async {
        await pace()
        await emitter.record(event)
    }

    func record(_ event: AgentEvent) async {
        await pace()
        await emitter.record(event)
    }

    func flush() async {
        await emitter.flush()
    }

    private func pace() async {
        let count = counter.count.add(1, ordering: .relaxed).newValue
        guard count % 100 == 0 else { return }
        let due = start.advanced(by: .seconds(Double(count) / eventsPerSecond))
        if due > clock.now { try? await clock.sleep(until: due) }
    }
}
