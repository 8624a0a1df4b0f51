public import LLMDevOpsMetrics
public import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Process metrics sampled from `/proc` on an interval, with client_golang's names plus the two
/// the Prometheus documentation lists and Go lacks (`process_heap_bytes`, network bytes).
///
/// | metric | source |
/// |---|---|
/// | `process_cpu_seconds_total` | `self/stat` utime + stime ÷ `_SC_CLK_TCK` |
/// | `process_start_time_seconds` | `self/stat` starttime ÷ `_SC_CLK_TCK` + `stat` btime |
/// | `process_threads` | `self/status` `Threads:` |
/// | `process_virtual_memory_bytes`, `process_resident_memory_bytes` | `self/statm` size, resident × page size |
/// | `process_open_fds` | entries of `self/fd/` (the directory stream's own descriptor included) |
/// | `process_max_fds`, `process_virtual_memory_max_bytes` | `self/limits` soft limits |
/// | `process_network_{receive,transmit}_bytes_total` | `self/net/dev`, all interfaces |
/// | `process_heap_bytes` | glibc `mallinfo2()` arena + mmapped bytes |
///
/// Creating the collector registers its families in the registry; ``run()`` samples: at once,
/// then every ``ProcessCollectorConfiguration/samplingInterval``, a sweep reads every source on
/// a dedicated thread (never on Swift concurrency's cooperative threads) and streams the
/// readings through a bounded `AsyncStream` to a task that writes them into the families. A
/// scrape renders what the families hold and reads nothing.
///
/// A source that fails is counted in `llmdevops_process_read_errors_total{source}` and its
/// metrics are left out until its next good read (never exported stale); a read that has not
/// returned by the next tick sets `llmdevops_process_read_stalled{source}` to 1, leaves its
/// metrics out, and is skipped until it returns, while the other sources go on being sampled.
/// ``MetricsCollectors`` creates and runs one when ``ProcessCollectorConfiguration/isEnabled``.
public final class ProcessCollector: Service, Sendable {
    /// The settings the collector was created with.
    public let configuration: ProcessCollectorConfiguration
    private let families: ProcessMetricFamilies
    private let loop: SamplerLoop<ProcessSampleApplier>

    /// Samples each sweep can queue before the oldest are dropped: a sweep yields nine, so this
    /// holds several sweeps while the applying task is held up.
    static let bufferSize = 64

    /// Registers the process families in `registry`; nothing is read until ``run()``.
    ///
    /// - Throws: `MetricsError` when a family clashes with one already registered.
    public convenience init(
        registry: RegistryActor,
        configuration: ProcessCollectorConfiguration = ProcessCollectorConfiguration()
    ) async throws(MetricsError) {
        try await self.init(registry: registry, configuration: configuration, reader: FileSystemProcReader())
    }

    /// The collector with its parts injectable: `reader` reads the proc files, `heap` returns
    /// `mallinfo2()` figures (nil: the allocator is not glibc's), `startThread` starts the
    /// sweep threads, and `applied` sees every sample after it has been applied.
    package init(
        registry: RegistryActor,
        configuration: ProcessCollectorConfiguration,
        reader: any ProcReader,
        heap: @escaping @Sendable () -> MallocStatistics? = MallocStatistics.current,
        startThread: (@Sendable (@escaping @Sendable () -> Void) -> Bool)? = nil,
        applied: (@Sendable (ProcessSample) -> Void)? = nil
    ) async throws(MetricsError) {
        self.configuration = configuration
        self.families = try await ProcessMetricFamilies.register(in: registry)
        self.loop = SamplerLoop(
            collectorName: "ProcessCollector",
            steps: Self.steps(procRoot: configuration.procRoot, reader: reader, heap: heap),
            bufferSize: Self.bufferSize, startThread: startThread, applied: applied)
    }

    /// Samples every ``ProcessCollectorConfiguration/samplingInterval`` until graceful shutdown,
    /// cancellation or ``finish()``.
    ///
    /// - Throws: ``CollectorsError/Code/alreadyRunning`` when called a second time.
    public func run() async throws {
        try await run(ticks: SamplingTicks(interval: configuration.samplingInterval))
    }

    /// Samples once per element of `ticks` (the test seam: tests tick by hand).
    package func run(ticks: some AsyncSequence<Void, Never> & Sendable) async throws(CollectorsError) {
        let sweeper = loop.sweeper
        try await loop.run(applier: ProcessSampleApplier(families: families)) {
            var sweep: UInt64 = 0
            for await _ in ticks {
                sweep += 1
                sweeper.startSweep(sweep)
            }
        }
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

    /// The reads of one sweep, in order.
    static func steps(
        procRoot: String,
        reader: any ProcReader,
        heap: @escaping @Sendable () -> MallocStatistics?
    ) -> [BlockingSweeper<ProcessSource, ProcessSample>.Step] {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        let base = procRoot + "/self/"
        func file(
            _ source: ProcessSource,
            _ path: String,
            _ parse: @escaping @Sendable (String) -> ProcessReading?
        ) -> BlockingSweeper<ProcessSource, ProcessSample>.Step {
            .init(source: source) { sweep in .read(source, sweep: sweep, reader.contents(of: path).flatMap(parse)) }
        }
        return [
            file(.stat, base + "stat") { text in
                ProcParser.stat(text).map {
                    .stat(
                        cpuSeconds: ($0.userTicks + $0.systemTicks) / ticks,
                        startSecondsAfterBoot: $0.startTicks / ticks)
                }
            },
            file(.procStat, procRoot + "/stat") { ProcParser.bootTime($0).map { .procStat(bootTime: $0) } },
            file(.status, base + "status") {
                ProcParser.statusValue($0, key: "Threads").map { .status(threads: $0) }
            },
            file(.statm, base + "statm") { text in
                ProcParser.statm(text).map {
                    .statm(virtualBytes: $0.sizePages * pageSize, residentBytes: $0.residentPages * pageSize)
                }
            },
            .init(source: .fd) { sweep in
                .read(.fd, sweep: sweep, reader.countEntries(base + "fd").map { .fd(openFiles: Double($0)) })
            },
            file(.limits, base + "limits") { text in
                guard let files = ProcParser.softLimit(text, name: "Max open files"),
                    let address = ProcParser.softLimit(text, name: "Max address space")
                else { return nil }
                return .limits(maxFiles: files, maxAddressSpace: address)
            },
            file(.netDev, base + "net/dev") { ProcParser.networkInterfaces($0).map { .netDev($0) } },
            .init(source: .heap) { sweep in .read(.heap, sweep: sweep, .heap(bytes: heap()?.heapBytes)) },
        ]
    }
}
