public import LLMDevOpsMetrics

/// The Swift analogue of Go's `go_*` and Python's `python_*` metrics, computed at every scrape.
/// Each HELP text says how the value is measured. What the Swift runtime does not expose (task
/// counts, executor queue depths) is not invented: the concurrency runtime is represented by
/// one honest probe, the time a new task waits before the global executor starts it.
public struct RuntimeCollector: PullCollector {
    /// `runtime`.
    public var name: String { "runtime" }
    private let configuration: RuntimeCollectorConfiguration
    private let procRoot: String
    private let clock: MetricsClock
    private let createdNanoseconds: UInt64

    /// Creates the collector; uptime counts from here, on `clock`'s monotonic time.
    public init(configuration: RuntimeCollectorConfiguration, procRoot: String = "/proc", clock: MetricsClock = .system) {
        self.configuration = configuration
        self.procRoot = procRoot
        self.clock = clock
        self.createdNanoseconds = clock.monotonicNanoseconds()
    }

    /// The declared families.
    public var metrics: [MetricDescriptor] { Self.descriptors }

    private static let specs: [(type: MetricType, name: String, unit: String, labels: [String], help: String)] = [
        (.info, "swift_info", "", ["version"],
         "Swift compiler version the binary was built with (from #if compiler checks at build time)."),
        (.info, "llmdevops_build_info", "", ["version", "revision"],
         "Version and source revision of the application, as configured."),
        (.gauge, "swift_threads", "", [], "OS threads of the process (entries of /proc/self/task)."),
        (.gauge, "swift_malloc_in_use_bytes", "bytes", [],
         "Bytes the glibc allocator has handed out (mallinfo2 uordblks + hblkhd)."),
        (.gauge, "swift_malloc_free_bytes", "bytes", [], "Bytes in free chunks of the glibc arenas (mallinfo2 fordblks)."),
        (.gauge, "swift_malloc_arena_bytes", "bytes", [],
         "Bytes of non-mmapped memory the glibc allocator obtained from the system (mallinfo2 arena)."),
        (.gauge, "swift_malloc_mmap_bytes", "bytes", [], "Bytes in chunks glibc allocated directly with mmap (mallinfo2 hblkhd)."),
        (.gauge, "swift_malloc_mmap_regions", "", [], "Chunks glibc allocated directly with mmap (mallinfo2 hblks)."),
        (.gauge, "swift_malloc_releasable_bytes", "bytes", [],
         "Releasable bytes at the top of the main glibc arena (mallinfo2 keepcost)."),
        (.gauge, "llmdevops_uptime_seconds", "seconds", [],
         "Seconds since the runtime collector was created, on the monotonic clock."),
        (.gauge, "swift_concurrency_task_start_delay_seconds", "seconds", [],
         "Time from creating a probe task to the global concurrent executor starting it, measured once per scrape; high values mean the cooperative pool is saturated."),
    ]

    private static let descriptors: [MetricDescriptor] = specs.compactMap { spec in
        // Constant, valid declarations; a failure would show as a missing family in the tests.
        try? MetricDescriptor(type: spec.type, name: spec.name, help: spec.help, unit: spec.unit, labelNames: spec.labels)
    }

    /// Computes the values now.
    public func collect() async throws -> [CollectedFamily] {
        var families: [CollectedFamily] = []
        func gauge(_ name: String, _ value: Double) {
            families.append(CollectedFamily(name: name, samples: [CollectedSample(value: .gauge(value))]))
        }
        families.append(CollectedFamily(name: "swift", samples: [CollectedSample(labels: ["version": SwiftVersion.compiler], value: .info)]))
        families.append(
            CollectedFamily(
                name: "llmdevops_build",
                samples: [
                    CollectedSample(
                        labels: ["version": configuration.version, "revision": configuration.revision], value: .info)
                ]
            )
        )
        if let threads = ProcFile.countEntries(procRoot + "/self/task") {
            gauge("swift_threads", Double(threads))
        }
        if let malloc = MallocStatistics.current() {
            gauge("swift_malloc_in_use_bytes", malloc.inUseBytes)
            gauge("swift_malloc_free_bytes", malloc.freeBytes)
            gauge("swift_malloc_arena_bytes", malloc.arenaBytes)
            gauge("swift_malloc_mmap_bytes", malloc.mmapBytes)
            gauge("swift_malloc_mmap_regions", malloc.mmapRegions)
            gauge("swift_malloc_releasable_bytes", malloc.releasableBytes)
        }
        let now = clock.monotonicNanoseconds()
        gauge("llmdevops_uptime_seconds", Double(now &- createdNanoseconds) / 1e9)
        gauge("swift_concurrency_task_start_delay_seconds", await Self.taskStartDelay())
        return families
    }

    /// Seconds between adding a child task (which runs on the global concurrent executor) and
    /// its first instruction.
    private static func taskStartDelay() async -> Double {
        await withTaskGroup(of: UInt64.self) { group in
            let created = MetricsClock.system.monotonicNanoseconds()
            group.addTask { MetricsClock.system.monotonicNanoseconds() }
            let started = await group.next() ?? created
            return Double(started &- created) / 1e9
        }
    }
}
