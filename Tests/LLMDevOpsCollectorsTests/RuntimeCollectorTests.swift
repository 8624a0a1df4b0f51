import Foundation
import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import LLMDevOpsTestSupport
import Synchronization
import Testing

@Suite(.timeLimit(minutes: 1)) struct RuntimeCollectorTests {
    static func makeCollector(
        reader: any ProcReader = FileSystemProcReader(),
        malloc: @escaping @Sendable () -> MallocStatistics? = MallocStatistics.current,
        probe: (@Sendable () async -> Double)? = nil,
        applied: (@Sendable (RuntimeSample) -> Void)? = nil
    ) async throws -> (RegistryActor, RuntimeCollector) {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        let collector = try await RuntimeCollector(
            registry: registry, configuration: RuntimeCollectorConfiguration(version: "1.2.3", revision: "abc123"),
            procRoot: "/proc", clock: .system, reader: reader, malloc: malloc, probe: probe, applied: applied)
        return (registry, collector)
    }

    /// The real reader, plus an independent count of the same directory (Foundation) taken on
    /// the same thread right after each listing.
    final class ComparingReader: ProcReader {
        private let reader = FileSystemProcReader()
        private let counts = Lock<(ours: Int, independent: Int)?>(nil)

        var lastCount: (ours: Int, independent: Int)? { counts.withLock { $0 } }

        func contents(of path: String) -> String? { reader.contents(of: path) }

        func countEntries(_ path: String) -> Int? {
            let ours = reader.countEntries(path)
            let independent = try? FileManager.default.contentsOfDirectory(atPath: path).count
            if let ours, let independent { counts.withLock { $0 = (ours, independent) } }
            return ours
        }
    }

    @Test func reportsVersionBuildAllocatorAndExecutorFigures() async throws {
        let applied = AppliedSamples<RuntimeSample>()
        let reader = ComparingReader()
        let (registry, collector) = try await Self.makeCollector(reader: reader, applied: applied.record)
        // The info series exist from creation; nothing sampled is exported before the first tick.
        try await registry.expectSample("llmdevops_build_info", labels: ["version": "1.2.3", "revision": "abc123"], value: 1)
        let before = try await registry.parsedExposition()
        #expect(before.sample(named: "swift_threads", labels: [:]) == nil)
        #expect(before.sample(named: "swift_malloc_in_use_bytes", labels: [:]) == nil)

        try await Sampling.with(collector) { sampling in
            for _ in 0..<3 {
                await sampling.tick()
                let probe = await applied.next { if case .taskStartDelay = $0 { true } else { false } }
                #expect(probe != nil)
            }
            let exposition = try await registry.parsedExposition()
            let swiftInfo = try #require(exposition.samples.first { $0.name == "swift_info" })
            #expect(swiftInfo.labels["version"]?.hasPrefix("6.") == true)
            if AllocatorOracle.glibcMallocIsReplaced {
                for name in ["swift_malloc_in_use_bytes", "swift_malloc_arena_bytes", "swift_malloc_free_bytes"] {
                    #expect(exposition.sample(named: name, labels: [:]) == nil, "\(name): zeros that look like data")
                }
            } else {
                #expect(exposition.value("swift_malloc_in_use_bytes") > 0)
                #expect(exposition.value("swift_malloc_arena_bytes") > 0)
            }
            #expect(exposition.sample(named: "llmdevops_uptime_seconds", labels: [:]) != nil)
            // Three ticks, three probes, in the histogram's declared buckets.
            #expect(exposition.value("swift_concurrency_task_start_delay_seconds_count") == 3)
            #expect(exposition.value("swift_concurrency_task_start_delay_seconds_sum") >= 0)
            let buckets = exposition.samples.filter { $0.name == "swift_concurrency_task_start_delay_seconds_bucket" }
            #expect(buckets.count == 19)  // 18 bounds and +Inf
            #expect(buckets.first { $0.labels["le"] == "+Inf" }?.value == 3)
            #expect(exposition.family(named: "swift_concurrency_task_start_delay_seconds")?.type == "histogram")
            for family in exposition.families
            where family.name.hasPrefix("swift_") || family.name.hasPrefix("llmdevops_uptime") {
                #expect(family.help?.isEmpty == false, "\(family.name) needs a HELP that says how it is measured")
            }
            // Threads: the sampler counts on its sweep thread, which exists only during the
            // sweep and is included, so the independent count (Foundation's listing) is taken
            // on that same thread right after ours; equal whenever no other thread started or
            // ended in between (other tests run concurrently).
            var agreed = false
            for _ in 0..<50 where !agreed {
                await sampling.tick()
                let exported = try await registry.parsedExposition().value("swift_threads")
                let (ours, independent) = try #require(reader.lastCount)
                #expect(exported == Double(ours))
                agreed = ours == independent
            }
            #expect(agreed)
        }
    }

    /// Issue 19: a render runs no probe task, calls no `mallinfo2()` and reads no `/proc`; each
    /// tick does each once, and the probe's measurements become histogram observations.
    @Test func scrapesRunNoProbeAndReadNothing() async throws {
        let reader = CountingProcReader()
        let probes = Atomic<Int>(0)
        let mallocCalls = Atomic<Int>(0)
        let applied = AppliedSamples<RuntimeSample>()
        let (registry, collector) = try await Self.makeCollector(
            reader: reader,
            malloc: {
                mallocCalls.add(1, ordering: .relaxed)
                return MallocStatistics.current()
            },
            probe: {
                // A fixed measurement: 3 ms, which lands in the (0.0025, 0.005] bucket.
                probes.add(1, ordering: .relaxed)
                return 0.003
            },
            applied: applied.record)
        try await Sampling.with(collector) { sampling in
            await sampling.tick()
            _ = await applied.next { if case .taskStartDelay = $0 { true } else { false } }
            for _ in 0..<50 {
                _ = await registry.exposition(.openMetrics)
            }
            #expect(reader.reads == 1)
            #expect(probes.load(ordering: .relaxed) == 1)
            #expect(mallocCalls.load(ordering: .relaxed) == 1)
            await sampling.tick()
            _ = await applied.next { if case .taskStartDelay = $0 { true } else { false } }
            #expect(reader.reads == 2)
            #expect(probes.load(ordering: .relaxed) == 2)
            #expect(mallocCalls.load(ordering: .relaxed) == 2)
            let bucket = "swift_concurrency_task_start_delay_seconds_bucket"
            try await registry.expectSample(bucket, labels: ["le": "0.0025"], value: 0)
            try await registry.expectSample(bucket, labels: ["le": "0.005"], value: 2)
            try await registry.expectSample("swift_concurrency_task_start_delay_seconds_count", value: 2)
            try await registry.expectSample("swift_concurrency_task_start_delay_seconds_sum", value: 0.006)
        }
    }

    /// Issue 16: when `mallinfo2()` does not describe the allocator (injected here; an ASan
    /// build is the real case), the `swift_malloc_*` gauges are left out instead of exported as
    /// zeros, and the rest of the runtime families are unaffected.
    @Test func mallocGaugesAreLeftOutWhenMallinfoDoesNotDescribeTheAllocator() async throws {
        let (registry, collector) = try await Self.makeCollector(malloc: { nil })
        try await Sampling.with(collector) { sampling in
            await sampling.tick()
            let exposition = try await registry.parsedExposition()
            for name in [
                "swift_malloc_in_use_bytes", "swift_malloc_free_bytes", "swift_malloc_arena_bytes",
                "swift_malloc_mmap_bytes",
                "swift_malloc_mmap_regions", "swift_malloc_releasable_bytes",
            ] {
                #expect(exposition.sample(named: name, labels: [:]) == nil, "\(name)")
            }
            #expect(exposition.value("swift_threads") >= 1)
            #expect(exposition.sum("llmdevops_process_read_errors_total") == 0)
        }
    }

    /// The real check, against an independent oracle: under AddressSanitizer (or any allocator
    /// that replaces glibc's) `mallinfo2()` does not describe the process; otherwise it does.
    @Test func theAllocatorCheckAgreesWithWhereMallocResolves() {
        #expect(MallocStatistics.describesProcessAllocator == !AllocatorOracle.glibcMallocIsReplaced)
        #expect((MallocStatistics.current() != nil) == MallocStatistics.describesProcessAllocator)
    }

    static func statistics(inUse: Double, arena: Double = 0) -> MallocStatistics {
        MallocStatistics(
            arenaBytes: arena, mmapBytes: 0, mmapRegions: 0, arenaInUseBytes: inUse, freeBytes: 0, releasableBytes: 0)
    }

    static let large = MallocStatistics.probeSizes[0]
    static let small = MallocStatistics.probeSizes[1]

    /// The decision itself, on injected `mallinfo2()` snapshots around the probe allocation
    /// (nil: the block could not be allocated).
    @Test(arguments: [
        // glibc: the 64 MiB block shows up in full (mmapped, rounded to pages).
        ([(1_000_000.0, 1_000_000.0 + 67_112_960)], true, [large]),
        // ASan: everything zero, three times.
        ([(0.0, 0.0), (0.0, 0.0), (0.0, 0.0)], false, [large, large, large]),
        // jemalloc: glibc's figures frozen at what the loader allocated.
        ([(73_728.0, 73_728.0), (73_728.0, 73_728.0), (73_728.0, 73_728.0)], false, [large, large, large]),
        // glibc while another thread freed 40 MiB inside the window, then a clean attempt.
        ([(90_000_000.0, 114_000_000.0), (50_000_000.0, 117_108_864.0)], true, [large, large]),
        // An address-space limit refuses 64 MiB: the 64 KiB block decides.
        ([nil, (1_000_000.0, 1_065_552.0)], true, [large, small]),
        ([nil, (0.0, 0.0), (0.0, 0.0), (0.0, 0.0)], false, [large, small, small, small]),
        // Nothing can be allocated at all: no evidence for glibc.
        ([nil, nil], false, [large, small]),
    ] as [([(Double, Double)?], Bool, [Int])])
    func theAllocatorCheckDecidesFromTheSnapshots(snapshots: [(Double, Double)?], describes: Bool, sizes: [Int]) {
        var remaining = snapshots[...]
        var asked: [Int] = []
        let result = MallocStatistics.probeAllocator { size in
            asked.append(size)
            guard let next = remaining.popFirst(), let snapshot = next else { return nil }
            return (Self.statistics(inUse: snapshot.0), Self.statistics(inUse: snapshot.1))
        }
        #expect(result == describes)
        #expect(asked == sizes)
    }
}
