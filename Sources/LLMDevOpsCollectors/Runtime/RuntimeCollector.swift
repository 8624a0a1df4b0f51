public import LLMDevOpsMetrics
public import ServiceLifecycle
import Synchronization

/// The Swift analogue of Go's `go_*` and Python's `python_*` metrics, sampled on an interval.
///
/// | metric | source |
/// |---|---|
/// | `swift_info{version}`, `llmdevops_build_info{version,revision}` | set once at creation |
/// | `swift_threads` | entries of `/proc/self/task` |
/// | `swift_malloc_*` | glibc `mallinfo2()` (left out when another allocator replaces glibc's) |
/// | `llmdevops_uptime_seconds` | the registry's monotonic clock since creation |
/// | `swift_concurrency_task_start_delay_seconds` | histogram, one probe task per interval |
///
/// What the Swift runtime does not expose (task counts, executor queue depths) is not invented:
/// the concurrency runtime is represented by one honest probe, the time a new task waits before
/// the global executor starts it. ``run()`` samples at once and then every
/// ``RuntimeCollectorConfiguration/samplingInterval``: the `/proc` read and `mallinfo2()` on a
/// dedicated thread, the probe on the sampling task, all streamed through a bounded
/// `AsyncStream` into the families. A scrape renders what they hold.
public final class RuntimeCollector: Service, Sendable {
    /// The settings the collector was created with.
    public let configuration: RuntimeCollectorConfiguration
    private let families: RuntimeMetricFamilies
    private let sweeper: BlockingSweeper<RuntimeSource, RuntimeSample>
    private let samples: AsyncStream<RuntimeSample>
    private let continuation: AsyncStream<RuntimeSample>.Continuation
    private let progress = SamplerProgress()
    private let applied: (@Sendable (RuntimeSample) -> Void)?
    private let clock: MetricsClock
    private let createdNanoseconds: UInt64
    private let probe: @Sendable () async -> Double
    private let started = Atomic<Bool>(false)
    private let stop = AsyncStream.makeStream(of: Never.self)

    /// Samples queued before the oldest are dropped: a tick yields four.
    static let bufferSize = 64

    /// Registers the runtime families in `registry` (the info series at once); uptime counts
    /// from here on `clock`'s monotonic time. Nothing is sampled until ``run()``.
    ///
    /// - Throws: `MetricsError` when a family clashes with one already registered.
    public convenience init(
        registry: RegistryActor,
        configuration: RuntimeCollectorConfiguration = RuntimeCollectorConfiguration(),
        procRoot: String = "/proc",
        clock: MetricsClock = .system
    ) async throws(MetricsError) {
        try await self.init(
            registry: registry, configuration: configuration, procRoot: procRoot, clock: clock,
            reader: FileSystemProcReader())
    }

    /// The collector with its parts injectable (see ``ProcessCollector``'s); `probe` measures
    /// one task start delay.
    package init(
        registry: RegistryActor,
        configuration: RuntimeCollectorConfiguration,
        procRoot: String,
        clock: MetricsClock,
        reader: any ProcReader,
        malloc: @escaping @Sendable () -> MallocStatistics? = MallocStatistics.current,
        probe: (@Sendable () async -> Double)? = nil,
        startThread: (@Sendable (@escaping @Sendable () -> Void) -> Bool)? = nil,
        applied: (@Sendable (RuntimeSample) -> Void)? = nil
    ) async throws(MetricsError) {
        self.configuration = configuration
        self.clock = clock
        self.createdNanoseconds = clock.monotonicNanoseconds()
        self.families = try await RuntimeMetricFamilies.register(in: registry, configuration: configuration)
        self.applied = applied
        self.probe = probe ?? TaskStartProbe.measure
        // Newest kept: thread counts and allocator figures are absolute, so the oldest matter
        // least; a probe measurement dropped when the applying task lags is one fewer
        // observation, not a wrong one.
        let (samples, continuation) = AsyncStream.makeStream(
            of: RuntimeSample.self, bufferingPolicy: .bufferingNewest(Self.bufferSize))
        self.samples = samples
        self.continuation = continuation
        let taskPath = procRoot + "/self/task"
        self.sweeper = BlockingSweeper(
            steps: [
                .init(source: .task) { sweep in
                    .read(.task, sweep: sweep, reader.countEntries(taskPath).map { .threads(Double($0)) })
                },
                .init(source: .malloc) { sweep in .read(.malloc, sweep: sweep, .malloc(malloc())) },
            ],
            reports: .init(
                stalled: { .stalled($0, sweep: $1) },
                unread: { .read($0, sweep: $1, nil) },
                finished: { .finished(sweep: $0) }
            ),
            startThread: startThread ?? DetachedThread.start,
            yield: { continuation.yield($0) }
        )
    }

    /// Samples every ``RuntimeCollectorConfiguration/samplingInterval`` until graceful
    /// shutdown, cancellation or ``finish()``.
    ///
    /// - Throws: ``CollectorsError/Code/alreadyRunning`` when called a second time.
    public func run() async throws {
        try await run(ticks: SamplingTicks(interval: configuration.samplingInterval))
    }

    /// Samples once per element of `ticks` (the test seam: tests tick by hand).
    package func run(ticks: some AsyncSequence<Void, Never> & Sendable) async throws(CollectorsError) {
        guard started.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else {
            throw CollectorsError(.alreadyRunning, "RuntimeCollector.run() may be called once")
        }
        await withDiscardingTaskGroup { group in
            group.addTask { await self.applySamples() }
            await withTaskGroup(of: Void.self) { sampling in
                sampling.addTask { await self.sample(ticks) }
                await withGracefulShutdownHandler {
                    for await _ in self.stop.stream {}
                } onGracefulShutdown: {
                    self.finish()
                }
                sampling.cancelAll()
            }
            continuation.finish()
        }
        progress.finish()
    }

    /// Stops sampling: ``run()`` returns once the queued samples are applied.
    public func finish() {
        stop.continuation.finish()
    }

    /// Returns once sweep `sweep` (or a later one) has been applied, or sampling has stopped.
    package func wait(forSweep sweep: UInt64) async {
        await progress.wait(forSweep: sweep)
    }

    /// Sweep threads alive, parked on a blocked read or still reading.
    package var liveSweepThreads: Int { sweeper.liveThreads }

    /// Per tick: a sweep on its own thread, the uptime, and one probe task on this task.
    private func sample(_ ticks: some AsyncSequence<Void, Never>) async {
        var sweep: UInt64 = 0
        for await _ in ticks {
            sweep += 1
            sweeper.startSweep(sweep)
            let now = clock.monotonicNanoseconds()
            continuation.yield(.uptime(seconds: Double(now &- createdNanoseconds) / 1e9))
            continuation.yield(.taskStartDelay(seconds: await probe()))
        }
    }

    private func applySamples() async {
        var applier = RuntimeSampleApplier(families: families)
        for await sample in samples {
            await applier.apply(sample)
            if case .finished(let sweep) = sample { progress.applied(sweep: sweep) }
            applied?(sample)
        }
    }
}
