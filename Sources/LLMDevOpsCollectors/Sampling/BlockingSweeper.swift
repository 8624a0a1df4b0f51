import LLMDevOpsMetrics
import Synchronization

/// Runs a sampler's blocking reads on dedicated OS threads, one sweep per tick, and hands
/// every outcome to `yield` (the sampler's bounded stream).
///
/// `read(2)` on a `/proc` file or a FIFO, `opendir` on a huge fd table, or `mallinfo2()` under
/// allocator locks can block for as long as the kernel or another thread likes. Run on one of
/// Swift concurrency's cooperative threads (there are as many as cores: two here), a stuck
/// read would take a thread from every task in the process. So each sweep gets a detached
/// thread of its own; the sampler's async task only starts sweeps and never waits for one.
///
/// Blocked reads: see ``SweepState``. When a tick finds the previous sweep's thread inside a
/// read, that source is reported stalled (`stalled(source, sweep)`) and skipped until the read
/// returns; the late result is still handed on (tagged with the sweep that started it, so the
/// applier can tell it from newer ones) and that thread then ends. At most one thread per
/// source can be parked this way, so the threads a sampler holds are bounded by its sources
/// plus one.
final class BlockingSweeper<Source: Hashable & Sendable, Element: Sendable>: Sendable {
    /// One source of a sweep: how to read it (blocking) into an element.
    struct Step: Sendable {
        let source: Source
        /// Reads and parses the source for sweep `sweep`.
        let read: @Sendable (_ sweep: UInt64) -> Element
    }

    /// The elements the sweeper itself produces.
    struct Reports: Sendable {
        /// A read still in progress at the next tick: the source and the sweep that started it.
        let stalled: @Sendable (Source, UInt64) -> Element
        /// A source a sweep could not read at all (no thread could be started).
        let unread: @Sendable (Source, UInt64) -> Element
        /// Sweep `n` read every source it was given.
        let finished: @Sendable (UInt64) -> Element
    }

    private let steps: [Step]
    private let reports: Reports
    private let yield: @Sendable (Element) -> Void
    private let startThread: @Sendable (@escaping @Sendable () -> Void) -> Bool
    private let state = Lock(SweepState<Source>())
    private let threads = Atomic<Int>(0)

    /// - Parameters:
    ///   - steps: The sources in reading order.
    ///   - startThread: Starts a detached thread running the closure; false when none could be
    ///     created (tests inject a failing one).
    init(
        steps: [Step],
        reports: Reports,
        startThread: @escaping @Sendable (@escaping @Sendable () -> Void) -> Bool = DetachedThread.start,
        yield: @escaping @Sendable (Element) -> Void
    ) {
        self.steps = steps
        self.reports = reports
        self.startThread = startThread
        self.yield = yield
    }

    /// Sweep threads currently alive, parked ones included. Decremented before a thread hands
    /// on its last element, so once that element has been applied the thread holds nothing.
    var liveThreads: Int { threads.load(ordering: .relaxed) }

    /// Starts sweep `sweep` on a new thread (sweep numbers increase); never blocks.
    func startSweep(_ sweep: UInt64) {
        let tick = state.withLock { $0.tick(sweep) }
        if let stall = tick.stalled {
            yield(reports.stalled(stall.source, stall.sweep))
        }
        let steps = self.steps.filter { !tick.skipping.contains($0.source) }
        threads.wrappingAdd(1, ordering: .relaxed)
        let started = startThread { [self] in self.run(steps, sweep: sweep) }
        guard !started else { return }
        threads.wrappingSubtract(1, ordering: .relaxed)
        let current = state.withLock { $0.finish(sweep: sweep) }
        guard current else { return }
        for step in steps { yield(reports.unread(step.source, sweep)) }
        yield(reports.finished(sweep))
    }

    /// The body of a sweep thread.
    private func run(_ steps: [Step], sweep: UInt64) {
        for step in steps {
            guard state.withLock({ $0.willRead(step.source, sweep: sweep) }) else {
                threads.wrappingSubtract(1, ordering: .relaxed)
                return
            }
            let element = step.read(sweep)
            switch state.withLock({ $0.didRead(step.source, sweep: sweep) }) {
            case .next:
                yield(element)
            case .exit:
                threads.wrappingSubtract(1, ordering: .relaxed)
                yield(element)
                return
            }
        }
        _ = state.withLock { $0.finish(sweep: sweep) }
        threads.wrappingSubtract(1, ordering: .relaxed)
        yield(reports.finished(sweep))
    }
}
