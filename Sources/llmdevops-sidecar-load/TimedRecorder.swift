import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsSidecarEmitter

/// Forwards to a ``SidecarEmitter`` and keeps how long each `record(_:)` took on the caller, in
/// nanoseconds (`--record-latency`): the emitter promises never to wait for the socket, and
/// this is the figure that shows it.
struct TimedRecorder: LLMEventRecording, AgentEventRecording {
    final class Samples: Sendable {
        let nanoseconds: Lock<[Int64]>
        init(capacity: Int) {
            var samples: [Int64] = []
            samples.reserveCapacity(capacity)
            nanoseconds = Lock(samples)
        }
    }

    let emitter: SidecarEmitter
    let clock = ContinuousClock()
    let samples: Samples

    func record(_ event: LLMEvent) async {
        let start = clock.now
        await emitter.record(event)
        keep(start.duration(to: clock.now))
    }

    func record(_ event: AgentEvent) async {
        let start = clock.now
        await emitter.record(event)
        keep(start.duration(to: clock.now))
    }

    func flush() async {
        await emitter.flush()
    }

    private func keep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        samples.nanoseconds.withLock { $0.append(nanoseconds) }
    }

    /// The 50th, 99th and 99.9th percentiles and the maximum, in nanoseconds.
    func percentiles() -> [(String, Int64)] {
        let sorted = samples.nanoseconds.withLock { $0.sorted() }
        guard let last = sorted.last else { return [] }
        func rank(_ quantile: Double) -> Int64 { sorted[min(sorted.count - 1, Int(Double(sorted.count) * quantile))] }
        return [("record_ns_p50", rank(0.5)), ("record_ns_p99", rank(0.99)), ("record_ns_p999", rank(0.999)), ("record_ns_max", last)]
    }
}
