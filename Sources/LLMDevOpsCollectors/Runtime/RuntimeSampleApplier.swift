import LLMDevOpsMetrics

/// Applies the runtime sampler's stream to its families; owned by the one task that drains it.
/// The stale-value rule is the process sampler's (``ProcessSampleApplier``): `swift_threads`
/// is exported only while the latest read of `/proc/self/task` succeeded and is not stalled;
/// the `swift_malloc_*` gauges only while `mallinfo2()` describes the allocator in use.
struct RuntimeSampleApplier: SampleApplying {
    private let families: RuntimeMetricFamilies
    private var freshness: SourceFreshness<RuntimeSource>
    private var threads: SampledGauge
    private var mallocInUse: SampledGauge
    private var mallocFree: SampledGauge
    private var mallocArena: SampledGauge
    private var mallocMmap: SampledGauge
    private var mallocMmapRegions: SampledGauge
    private var mallocReleasable: SampledGauge
    private var uptime: SampledGauge
    private var taskStartDelay: HistogramMetric?

    init(families: RuntimeMetricFamilies) {
        self.families = families
        freshness = SourceFreshness(health: families.health) { $0.label }
        threads = SampledGauge(families.threads)
        mallocInUse = SampledGauge(families.mallocInUse)
        mallocFree = SampledGauge(families.mallocFree)
        mallocArena = SampledGauge(families.mallocArena)
        mallocMmap = SampledGauge(families.mallocMmap)
        mallocMmapRegions = SampledGauge(families.mallocMmapRegions)
        mallocReleasable = SampledGauge(families.mallocReleasable)
        uptime = SampledGauge(families.uptime)
    }

    /// Applies one element of the stream.
    mutating func apply(_ sample: RuntimeSample) async {
        switch sample {
        case .read(let source, let sweep, let reading):
            guard freshness.acceptRead(source, sweep: sweep, failed: reading == nil) else { return }
            await publish(source, reading)
        case .stalled(let source, let sweep):
            guard freshness.acceptStall(source, sweep: sweep) else { return }
            await publish(source, nil)
        case .finished:
            break
        case .uptime(let seconds):
            await uptime.update(seconds)
        case .taskStartDelay(let seconds):
            if taskStartDelay == nil {
                // Label-less: the empty value list always matches, so this does not throw.
                taskStartDelay = try? await families.taskStartDelay.labels(values: [])
            }
            taskStartDelay?.observe(seconds)
        }
    }

    /// Exports the metrics of `source` from `reading`, or removes them when there is none.
    private mutating func publish(_ source: RuntimeSource, _ reading: RuntimeReading?) async {
        switch source {
        case .task:
            var value: Double?
            if case .threads(let count) = reading { value = count }
            await threads.update(value)
        case .malloc:
            var statistics: MallocStatistics?
            if case .malloc(let current) = reading { statistics = current }
            await mallocInUse.update(statistics?.inUseBytes)
            await mallocFree.update(statistics?.freeBytes)
            await mallocArena.update(statistics?.arenaBytes)
            await mallocMmap.update(statistics?.mmapBytes)
            await mallocMmapRegions.update(statistics?.mmapRegions)
            await mallocReleasable.update(statistics?.releasableBytes)
        }
    }
}
