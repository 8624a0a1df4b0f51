import LLMDevOpsMetrics
import Synchronization

/// The bounded hand-off between the producers of one collector (`record...` calls) and its
/// single consumer task, and the gate that lets a producer apply its event itself.
///
/// Direct application: ``admitDirect()`` lets an `async` producer apply its event on its own
/// task when no queued event is waiting to be applied (``EventCollector/record(_:)``). Measured
/// on 2 cores with 2 producers, a single consumer applied at most about 400,000
/// `recordRequest` events/s, and two producers that never suspend hold both threads of the
/// cooperative pool, so the consumer barely ran and two thirds of a 200,000-event burst were
/// dropped from the default 65,536-event buffer. Applying on the producer uses every core,
/// needs no buffer space and cannot drop: the same benchmark (`Collector path: recordRequest,
/// 2 producers`) applies 1,000,000-1,700,000 events/s (machine load) with none dropped.
/// Order is kept: a producer applies directly only while the backlog (events enqueued and not
/// yet applied) is zero, and the consumer lowers the backlog only after applying an event (a
/// releasing decrement read by an acquiring load), so an event a producer queued earlier is
/// always applied before its later direct ones.
/// `recordNow` (synchronous) and events recorded while a backlog exists still go through the
/// stream, and ``flush()`` covers both paths (a direct event is applied before `record` returns).
///
/// Events go into an `AsyncStream` buffered with `.bufferingOldest(capacity)`: when the buffer
/// is full the *new* event is dropped (the events already queued keep their order) and counted
/// in `llmdevops_collector_events_dropped_total{collector}`. Every offered event, kept or not, is
/// counted in `llmdevops_collector_events_total{collector}`.
///
/// ``flush()`` puts a marker carrying a continuation into the same stream; the consumer resumes
/// it when it dequeues the marker, so the marker's position orders it after every event that
/// was enqueued before `flush()` was called. A marker is never dropped: when the buffer is full
/// it is parked, and the consumer (which is the only party that makes room) offers the parked
/// markers again after each element it dequeues.
///
/// Why that cannot hang: the parked flag is set, under the park lock, *before* a parked marker
/// is offered. If the offer fails the buffer was full at that moment, so the consumer will
/// dequeue at least one more element afterwards; it observes the flag (the stream's own lock
/// orders the failed offer before that dequeue) and offers the marker again.
final class EventPipeline<Event: Sendable>: Sendable {
    /// What flows through the stream.
    enum Element: Sendable {
        case event(Event)
        case flush(CheckedContinuation<Void, Never>)
    }

    /// The collector name used in the `collector` label.
    let collector: String
    let stream: AsyncStream<Element>
    private let continuation: AsyncStream<Element>.Continuation
    private let parked = Lock<[CheckedContinuation<Void, Never>]>([])
    private let hasParked = Atomic<Bool>(false)
    private let received: CounterMetric
    private let dropped: CounterMetric
    /// Events enqueued and not yet applied by the consumer.
    private let backlog = Atomic<Int>(0)
    /// Set by ``finish()``: nothing is applied directly any more.
    private let finished = Atomic<Bool>(false)

    /// - Parameters:
    ///   - capacity: The most events the buffer holds (at least 1).
    ///   - received: `llmdevops_collector_events_total{collector}`.
    ///   - dropped: `llmdevops_collector_events_dropped_total{collector}`.
    init(collector: String, capacity: Int, received: CounterMetric, dropped: CounterMetric) {
        self.collector = collector
        (stream, continuation) = AsyncStream.makeStream(
            of: Element.self,
            bufferingPolicy: .bufferingOldest(max(1, capacity))
        )
        self.received = received
        self.dropped = dropped
    }

    /// Offers one event; never waits. Returns whether it was buffered.
    @discardableResult
    func yield(_ event: Event) -> Bool {
        received.increment()
        // Raised before the event becomes visible to the consumer, so it never goes negative.
        backlog.wrappingAdd(1, ordering: .relaxed)
        switch continuation.yield(.event(event)) {
        case .enqueued:
            return true
        case .dropped, .terminated:
            backlog.wrappingSubtract(1, ordering: .relaxed)
            dropped.increment()
            return false
        @unknown default:
            backlog.wrappingSubtract(1, ordering: .relaxed)
            dropped.increment()
            return false
        }
    }

    /// Whether the caller may apply its event itself: the pipeline is not finished and no
    /// queued event is waiting to be applied. When true the event is counted as offered and the
    /// caller must apply it before returning to its own caller.
    /// A record racing ``finish()`` may still be admitted; it is then applied, never lost.
    func admitDirect() -> Bool {
        // Acquiring pairs with the consumer's releasing decrement: every queued event this
        // producer offered earlier has been applied before its next event is applied directly.
        guard backlog.load(ordering: .acquiring) == 0, !finished.load(ordering: .relaxed) else { return false }
        received.increment()
        return true
    }

    /// Returns once the consumer has applied every event that was buffered before this call.
    /// Returns at once when the pipeline has been finished.
    func flush() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let abandoned = parked.withLock { waiting in
                hasParked.store(true, ordering: .sequentiallyConsistent)
                waiting.append(done)
                return offerParked(&waiting)
            }
            for waiter in abandoned { waiter.resume() }
        }
    }

    /// Ends the stream: the consumer applies what is buffered and then stops.
    func finish() {
        finished.store(true, ordering: .relaxed)
        continuation.finish()
    }

    /// Applies every event with `apply` until the stream ends or the task is cancelled.
    /// Must run on one task only (an `AsyncStream` has a single consumer).
    func consume(_ apply: (Event) async -> Void) async {
        for await element in stream {
            switch element {
            case .event(let event):
                await apply(event)
                backlog.wrappingSubtract(1, ordering: .releasing)
            case .flush(let done):
                done.resume()
            }
            if hasParked.load(ordering: .sequentiallyConsistent) {
                let abandoned = parked.withLock { offerParked(&$0) }
                for waiter in abandoned { waiter.resume() }
            }
        }
    }

    /// Offers parked markers in order; called with the park lock held. Returns the waiters to
    /// resume because the stream is finished (the caller resumes them after unlocking).
    private func offerParked(_ waiting: inout [CheckedContinuation<Void, Never>]) -> [CheckedContinuation<Void, Never>] {
        while let first = waiting.first {
            switch continuation.yield(.flush(first)) {
            case .enqueued:
                waiting.removeFirst()
            case .dropped:
                // Still parked; the flag stays set so the consumer offers it again.
                return []
            case .terminated:
                let abandoned = waiting
                waiting.removeAll()
                hasParked.store(false, ordering: .sequentiallyConsistent)
                return abandoned
            @unknown default:
                return []
            }
        }
        hasParked.store(false, ordering: .sequentiallyConsistent)
        return []
    }
}
