public import LLMDevOpsMetrics
public import ServiceLifecycle

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
    private let loop: SamplerLoop<RuntimeSampleApplier>
    private let clock: MetricsClock
    private let createdNanoseconds: UInt64
    private let probe: @Sendable () async -> Double

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
        self.probe = probe ?? TaskStartProbe.measure
        let taskPath = procRoot + "/self/task"
        self.loop = SamplerLoop(
            collectorName: "RuntimeCollector",
            steps: [
                .init(source: .task) { sweep in
                    .read(.task, sweep: sweep, reader.countEntries(taskPath).map { .threads(Double($0)) })
                },
                .init(source: .malloc) { sweep in .read(.malloc, sweep: sweep, .malloc(malloc())) },
            ],
            bufferSize: Self.bufferSize, startThread: startThread, applied: applied)
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
        try await loop.run(applier: RuntimeSampleApplier(families: families)) { await self.sample(ticks) }
    }

    /// Stops sampling: ``run()`` returns once the queued samples are applied.
    public func finish() {
        loop.finish()
    }

    /// Returns once sweep `sweep` (or a later one) has been applied, or sampling has stopped.
    package func wait(forSweep sweep: UInt64) async {
        await loop.wait(forSweep: sweep)
    }

    /// Sweep threads alive, parked on a blocked read or still reading.
    package var liveSweepThreads: Int { loop.sweeper.liveThreads }

    /// Per tick: a sweep on its own thread, the uptime, and one probe task on this task.
    private func sample(_ ticks: some AsyncSequence<Void, Never>) async {
        var sweep: UInt64 = 0
        for await _ in ticks {
            sweep += 1
            loop.sweeper.startSweep(sweep)
            let now = clock.monotonicNanoseconds()
            loop.continuation.yield(.uptime(seconds: Double(now &- createdNanoseconds) / 1e9))
            loop.continuation.yield(.taskStartDelay(seconds: await probe()))
        }
    }
}
