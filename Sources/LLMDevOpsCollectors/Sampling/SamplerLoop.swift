import ServiceLifecycle
import Synchronization

/// What the process and runtime samplers share between their sweeps and their families: the
/// ``BlockingSweeper`` that reads their sources, the bounded stream that carries every sample
/// to the one task that applies it, `run()` at most once, and the stop on graceful shutdown or
/// ``finish()``.
///
/// The stream keeps the newest samples when the applying task lags: every reading is absolute
/// (a total, a current size), so the oldest are the ones that no longer matter, and a dropped
/// probe measurement is one fewer observation, not a wrong one.
final class SamplerLoop<Applier: SampleApplying>: Sendable {
    typealias Sample = Applier.Sample

    /// Where the sampling task hands on the samples it makes itself (the sweeps hand on theirs).
    let continuation: AsyncStream<Sample>.Continuation
    /// Reads the sources, one sweep per ``BlockingSweeper/startSweep(_:)``.
    let sweeper: BlockingSweeper<Sample.Source, Sample>
    private let samples: AsyncStream<Sample>
    private let collectorName: String
    private let progress = SamplerProgress()
    private let applied: (@Sendable (Sample) -> Void)?
    private let started = Atomic<Bool>(false)
    private let stop = AsyncStream.makeStream(of: Never.self)

    /// A loop for the collector `collectorName` (named in the error of a second run) whose
    /// sweeps read `steps`, on threads `startThread` starts, into a stream of `bufferSize`
    /// samples; `applied` sees every sample after it has been applied.
    init(
        collectorName: String,
        steps: [BlockingSweeper<Sample.Source, Sample>.Step],
        bufferSize: Int,
        startThread: (@Sendable (@escaping @Sendable () -> Void) -> Bool)?,
        applied: (@Sendable (Sample) -> Void)?
    ) {
        self.collectorName = collectorName
        self.applied = applied
        let (samples, continuation) = AsyncStream.makeStream(
            of: Sample.self, bufferingPolicy: .bufferingNewest(bufferSize))
        self.samples = samples
        self.continuation = continuation
        sweeper = BlockingSweeper(
            steps: steps,
            reports: .init(
                stalled: { .stalled($0, sweep: $1) },
                unread: { .unread($0, sweep: $1) },
                finished: { .finished(sweep: $0) }
            ),
            startThread: startThread ?? DetachedThread.start,
            yield: { continuation.yield($0) }
        )
    }

    /// Runs `sampling` until graceful shutdown, cancellation or ``finish()`` while one task
    /// applies the stream with `applier`; returns once what was queued has been applied. Reads
    /// still in flight on parked threads are dropped when they return.
    ///
    /// - Throws: ``CollectorsError/Code/alreadyRunning`` when called a second time.
    func run(applier: Applier, sampling: @escaping @Sendable () async -> Void) async throws(CollectorsError) {
        guard started.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else {
            throw CollectorsError(.alreadyRunning, "\(collectorName).run() may be called once")
        }
        await withDiscardingTaskGroup { group in
            group.addTask { await self.apply(with: applier) }
            await withTaskGroup(of: Void.self) { tasks in
                tasks.addTask { await sampling() }
                await withGracefulShutdownHandler {
                    for await _ in self.stop.stream {}
                } onGracefulShutdown: {
                    self.finish()
                }
                tasks.cancelAll()
            }
            // Applies what is queued, then ends the applying task.
            continuation.finish()
        }
        progress.finish()
    }

    /// Stops sampling: ``run(applier:sampling:)`` returns once the queued samples are applied.
    func finish() {
        stop.continuation.finish()
    }

    /// Returns once sweep `sweep` (or a later one) has been applied, or sampling has stopped.
    func wait(forSweep sweep: UInt64) async {
        await progress.wait(forSweep: sweep)
    }

    private func apply(with applier: Applier) async {
        var applier = applier
        for await sample in samples {
            await applier.apply(sample)
            if let sweep = sample.finishedSweep { progress.applied(sweep: sweep) }
            applied?(sample)
        }
    }
}
