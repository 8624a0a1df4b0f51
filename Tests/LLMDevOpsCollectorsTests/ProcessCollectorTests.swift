import Foundation
import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import LLMDevOpsTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite(.timeLimit(minutes: 1)) struct ProcessCollectorTests {
    static let statLine =
        "1234 (my (odd) proc) S 1 1 1 0 -1 4194560 100 0 0 0 250 150 0 0 20 0 7 0 5000 104857600 2560 18446744073709551615 1 1\n"
    static let netDev = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo:    1000      10    0    0    0     0          0         0     2000      20    0    0    0     0       0          0
          eth0:     500       5    0    0    0     0          0         0      700       7    0    0    0     0       0          0

        """

    /// A fake proc root with known contents; `broken` names sources to make unreadable.
    static func makeFakeProc(broken: Set<String> = []) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("llmdevops-proc-\(UUID().uuidString)")
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: root.appendingPathComponent("self/fd"), withIntermediateDirectories: true)
        try fileManager.createDirectory(at: root.appendingPathComponent("self/net"), withIntermediateDirectories: true)
        let files: [String: String] = [
            "self/stat": statLine,
            "stat": "cpu  1 2 3 4\nbtime 1700000000\nprocesses 10\n",
            "self/status": "Name:\tproc\nVmRSS:\t  10240 kB\nThreads:\t7\n",
            "self/statm": "25600 2560 100 10 0 500 0\n",
            "self/limits": """
                Limit                     Soft Limit           Hard Limit           Units
                Max open files            1024                 524288               files
                Max address space         unlimited            unlimited            bytes

                """,
            "self/net/dev": netDev,
        ]
        for (path, contents) in files {
            let url = root.appendingPathComponent(path)
            if broken.contains(path) {
                // A directory where a file is expected: open succeeds, read fails (EISDIR), even for root.
                try fileManager.createDirectory(at: url, withIntermediateDirectories: true)
            } else {
                try contents.write(to: url, atomically: true, encoding: .utf8)
            }
        }
        for fd in 0..<3 where !broken.contains("self/fd") {
            try "".write(to: root.appendingPathComponent("self/fd/\(fd)"), atomically: true, encoding: .utf8)
        }
        if broken.contains("self/fd") { try fileManager.removeItem(at: root.appendingPathComponent("self/fd")) }
        return root
    }

    static func makeCollector(
        procRoot: String,
        reader: any ProcReader = FileSystemProcReader(),
        heap: @escaping @Sendable () -> MallocStatistics? = MallocStatistics.current,
        startThread: (@Sendable (@escaping @Sendable () -> Void) -> Bool)? = nil,
        applied: (@Sendable (ProcessSample) -> Void)? = nil
    ) async throws -> (RegistryActor, ProcessCollector) {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        let collector = try await ProcessCollector(
            registry: registry, configuration: ProcessCollectorConfiguration(procRoot: procRoot), reader: reader,
            heap: heap, startThread: startThread, applied: applied)
        return (registry, collector)
    }

    static let familiesBySource: [String: [String]] = [
        "stat": ["process_cpu_seconds_total", "process_start_time_seconds"],
        "proc_stat": ["process_start_time_seconds"],
        "status": ["process_threads"],
        "statm": ["process_resident_memory_bytes", "process_virtual_memory_bytes"],
        "fd": ["process_open_fds"],
        "limits": ["process_max_fds", "process_virtual_memory_max_bytes"],
        "net_dev": ["process_network_receive_bytes_total", "process_network_transmit_bytes_total"],
    ]

    @Test func readsEveryValueFromAFakeProcRoot() async throws {
        let root = try Self.makeFakeProc()
        defer { try? FileManager.default.removeItem(at: root) }
        let (registry, collector) = try await Self.makeCollector(procRoot: root.path)
        // Before the first sample nothing is exported as if it had been read.
        let empty = try await registry.parsedExposition()
        #expect(empty.sample(named: "process_cpu_seconds_total", labels: [:]) == nil)
        #expect(empty.sample(named: "process_open_fds", labels: [:]) == nil)
        #expect(empty.sum("llmdevops_process_read_errors_total") == 0)

        let exposition = try await Sampling.with(collector) { sampling in
            await sampling.tick()
            return try await registry.parsedExposition()
        }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        #expect(exposition.value("process_cpu_seconds_total") == 400 / ticks)
        #expect(exposition.value("process_start_time_seconds") == 1_700_000_000 + 5000 / ticks)
        #expect(exposition.value("process_threads") == 7)
        #expect(exposition.value("process_virtual_memory_bytes") == 25600 * page)
        #expect(exposition.value("process_resident_memory_bytes") == 2560 * page)
        #expect(exposition.value("process_open_fds") == 3)
        #expect(exposition.value("process_max_fds") == 1024)
        #expect(exposition.value("process_virtual_memory_max_bytes") == Double(UInt64.max))
        #expect(exposition.value("process_network_receive_bytes_total") == 1500)
        #expect(exposition.value("process_network_transmit_bytes_total") == 2700)
        if AllocatorOracle.glibcMallocIsReplaced {
            #expect(exposition.sample(named: "process_heap_bytes", labels: [:]) == nil)
        } else {
            #expect((exposition.sample(named: "process_heap_bytes", labels: [:])?.value ?? 0) > 0)
        }
        #expect(exposition.sum("llmdevops_process_read_errors_total") == 0)
        #expect(exposition.sum("llmdevops_process_read_stalled") == 0)
        #expect(
            exposition.labelValues("llmdevops_process_read_errors_total", "source").sorted()
                == Self.familiesBySource.keys.sorted())
        // The counters are counters in both text formats, with their HELP.
        let text = String(decoding: await registry.render(.prometheusText), as: UTF8.self)
        #expect(text.contains("# TYPE process_cpu_seconds_total counter\n"))
        #expect(text.contains("# TYPE process_network_receive_bytes_total counter\n"))
        #expect(text.contains("# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds"))
        let openMetrics = String(decoding: await registry.render(.openMetrics), as: UTF8.self)
        #expect(openMetrics.contains("# TYPE process_cpu_seconds counter\n# UNIT process_cpu_seconds seconds\n"))
        // No pull collector is left on the scrape path.
        #expect(
            exposition.sample(named: "llmdevops_registry_collector_success", labels: ["collector": "process"]) == nil)
    }

    @Test(arguments: [
        ("self/stat", "stat"), ("self/statm", "statm"), ("self/limits", "limits"), ("self/net/dev", "net_dev"),
        ("self/fd", "fd"), ("stat", "proc_stat"), ("self/status", "status"),
    ])
    func anUnreadableSourceYieldsAnErrorMetricWhileTheOthersWork(path: String, source: String) async throws {
        let root = try Self.makeFakeProc(broken: [path])
        defer { try? FileManager.default.removeItem(at: root) }
        let (registry, collector) = try await Self.makeCollector(procRoot: root.path)
        try await Sampling.with(collector) { sampling in
            await sampling.tick()
            let exposition = try await registry.parsedExposition()
            let missing = Self.familiesBySource[source] ?? []
            for name in missing {
                #expect(exposition.sample(named: name, labels: [:]) == nil, "\(name) should be left out")
            }
            #expect(exposition.value("llmdevops_process_read_errors_total", ["source": source]) == 1)
            #expect(exposition.sum("llmdevops_process_read_errors_total") == 1)
            for (other, names) in Self.familiesBySource where other != source {
                for name in names where !missing.contains(name) {
                    #expect(exposition.sample(named: name, labels: [:]) != nil, "\(name) keeps working")
                }
            }
            // Scrapes read nothing, so they count nothing; the next sweep counts the failure again.
            _ = try await registry.parsedExposition()
            try await registry.expectSample("llmdevops_process_read_errors_total", labels: ["source": source], value: 1)
            await sampling.tick()
            try await registry.expectSample("llmdevops_process_read_errors_total", labels: ["source": source], value: 2)
        }
    }

    /// The stale-value rule: a source that fails takes its series out of the exposition (not
    /// its last values, exported as if fresh); its next good read brings them back, counters
    /// with their running totals (never from zero, never lower).
    @Test func aFailedSourceLeavesTheExpositionAndComesBackWithFreshValues() async throws {
        let root = try Self.makeFakeProc()
        defer { try? FileManager.default.removeItem(at: root) }
        let stat = root.appendingPathComponent("self/stat")
        let netDev = root.appendingPathComponent("self/net/dev")
        let (registry, collector) = try await Self.makeCollector(procRoot: root.path)
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        try await Sampling.with(collector) { sampling in
            await sampling.tick()
            try await registry.expectSample("process_cpu_seconds_total", value: 400 / ticks)

            try FileManager.default.removeItem(at: stat)
            // eth0 disappears: the file's sum falls to 1000 / 2000, the counters must not.
            let withoutEth0 = Self.netDev.split(separator: "\n").filter { !$0.contains("eth0:") }
                .joined(separator: "\n")
            try withoutEth0.write(to: netDev, atomically: true, encoding: .utf8)
            await sampling.tick()
            var exposition = try await registry.parsedExposition()
            #expect(exposition.sample(named: "process_cpu_seconds_total", labels: [:]) == nil)
            #expect(exposition.sample(named: "process_start_time_seconds", labels: [:]) == nil)
            #expect(exposition.value("llmdevops_process_read_errors_total", ["source": "stat"]) == 1)
            #expect(exposition.value("process_network_receive_bytes_total") == 1500)
            #expect(exposition.value("process_network_transmit_bytes_total") == 2700)

            // stat is back with more CPU time; lo moved on by 100 bytes each way.
            try Self.statLine.replacingOccurrences(of: " 250 150 ", with: " 300 160 ")
                .write(to: stat, atomically: true, encoding: .utf8)
            try Self.netDev.replacingOccurrences(of: "    1000      10", with: "    1100      10")
                .replacingOccurrences(of: "     2000      20", with: "     2100      20")
                .write(to: netDev, atomically: true, encoding: .utf8)
            await sampling.tick()
            exposition = try await registry.parsedExposition()
            #expect(exposition.value("process_cpu_seconds_total") == 460 / ticks)
            #expect(exposition.value("process_start_time_seconds") == 1_700_000_000 + 5000 / ticks)
            // eth0 came back: its 500 / 700 count again (a re-created interface starts over).
            #expect(exposition.value("process_network_receive_bytes_total") == 1500 + 100 + 500)
            #expect(exposition.value("process_network_transmit_bytes_total") == 2700 + 100 + 700)
            #expect(exposition.value("llmdevops_process_read_errors_total", ["source": "stat"]) == 1)
        }
    }

    /// Issue 7, faults: the whole proc root unusable (empty, or not a directory, which stays
    /// unreadable even for root). Every source counts an error, nothing traps, and the rest of
    /// the registry keeps rendering valid expositions.
    @Test(arguments: ["empty", "file"])
    func anUnusableProcRootCountsEverySourceAndKeepsRendering(kind: String) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(kind)-\(UUID().uuidString)")
        if kind == "empty" {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } else {
            try Data("not a directory".utf8).write(to: root)
        }
        defer { try? FileManager.default.removeItem(at: root) }
        let (registry, collector) = try await Self.makeCollector(procRoot: root.path)
        let other = try await registry.makeCounter(name: "app_requests_total")
        other.increment(by: 3)
        try await Sampling.with(collector) { sampling in
            await sampling.tick()
            for format in ExpositionFormat.allCases where format.isText {
                let exposition = try await registry.parsedExposition(format)
                #expect(exposition.value("app_requests_total") == 3)
                #expect(exposition.sample(named: "process_resident_memory_bytes", labels: [:]) == nil)
            }
            let exposition = try await registry.parsedExposition()
            for source in Self.familiesBySource.keys {
                #expect(exposition.value("llmdevops_process_read_errors_total", ["source": source]) == 1, "\(source)")
            }
        }
    }

    /// A fault the real system does not produce here: no thread can be started for a sweep.
    /// Every source of that sweep counts as unread, nothing is exported stale, nothing hangs.
    @Test func aSweepWithoutAThreadCountsEverySourceAsUnread() async throws {
        let root = try Self.makeFakeProc()
        defer { try? FileManager.default.removeItem(at: root) }
        let (registry, collector) = try await Self.makeCollector(procRoot: root.path, startThread: { _ in false })
        try await Sampling.with(collector) { sampling in
            await sampling.tick()
            let exposition = try await registry.parsedExposition()
            #expect(exposition.sample(named: "process_threads", labels: [:]) == nil)
            #expect(exposition.sum("llmdevops_process_read_errors_total") == Double(Self.familiesBySource.count))
            #expect(collector.liveSweepThreads == 0)
        }
    }

    /// Issue 16: with an allocator `mallinfo2()` does not describe, `process_heap_bytes` is left
    /// out rather than exported as zero.
    @Test func theHeapIsLeftOutWhenMallinfoDoesNotDescribeTheAllocator() async throws {
        let root = try Self.makeFakeProc()
        defer { try? FileManager.default.removeItem(at: root) }
        let (registry, collector) = try await Self.makeCollector(procRoot: root.path, heap: { nil })
        try await Sampling.with(collector) { sampling in
            await sampling.tick()
            let exposition = try await registry.parsedExposition()
            #expect(exposition.sample(named: "process_heap_bytes", labels: [:]) == nil)
            #expect(exposition.value("process_threads") == 7)
            #expect(exposition.sum("llmdevops_process_read_errors_total") == 0)
        }
    }

    /// Issue 19: the scrape path reads nothing. 50 scrapes in a row perform no read at all;
    /// each tick reads each of the seven sources exactly once; and the values agree with the
    /// real `/proc` read independently (start time and open descriptors exact, RSS within 10 %).
    @Test func scrapesReadNothingAndEachTickReadsEverySourceOnce() async throws {
        let reader = CountingProcReader()
        let (registry, collector) = try await Self.makeCollector(procRoot: "/proc", reader: reader)
        try await Sampling.with(collector) { sampling in
            #expect(reader.reads == 0)
            await sampling.tick()
            #expect(reader.reads == 7)
            for _ in 0..<50 {
                let body = await registry.exposition(.prometheusText)  // cacheTTL .zero: every call renders
                #expect(!body.isEmpty)
            }
            #expect(reader.reads == 7, "a scrape read /proc")
            for sweep in 2...5 {
                await sampling.tick()
                #expect(reader.reads == 7 * sweep)
            }
            let files = ["/self/stat", "/proc/stat", "/self/status", "/self/statm", "/self/fd", "/self/limits"]
            for file in files + ["/self/net/dev"] {
                #expect(reader.reads(endingIn: file) == 5, "\(file)")
            }

            let exposition = try await registry.parsedExposition()
            // Start time: exact, from the same two fields read with Foundation.
            let stat = try String(contentsOfFile: "/proc/self/stat", encoding: .utf8)
            let afterName = stat[stat.index(after: try #require(stat.lastIndex(of: ")")))...].split(separator: " ")
            let startTicks = try #require(Double(afterName[19]))
            let bootLine = try #require(
                try String(contentsOfFile: "/proc/stat", encoding: .utf8).split(separator: "\n")
                    .first { $0.hasPrefix("btime ") })
            let bootTime = try #require(Double(bootLine.split(separator: " ")[1]))
            let clockTicks = Double(sysconf(Int32(_SC_CLK_TCK)))
            #expect(exposition.value("process_start_time_seconds") == bootTime + startTicks / clockTicks)

            // Resident memory: within 10 % of VmRSS read just before and just after a sweep
            // (other tests in this process allocate concurrently, so the bracket may move).
            func vmRSS() throws -> Double {
                let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
                let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
                return try #require(Double(line.split(whereSeparator: { $0 == " " || $0 == "\t" })[1])) * 1024
            }
            var rssAgreed = false
            var last = ""
            for _ in 0..<50 where !rssAgreed {
                let before = try vmRSS()
                await sampling.tick()
                let after = try vmRSS()
                let resident = try await registry.parsedExposition().value("process_resident_memory_bytes")
                rssAgreed = resident >= 0.9 * min(before, after) && resident <= 1.1 * max(before, after)
                last = "statm \(resident) vs VmRSS \(before)…\(after)"
            }
            #expect(rssAgreed, "\(last)")

            // Open descriptors: exact whenever the count is stable across two sweeps around an
            // independent count (other tests open and close files concurrently). Both listings
            // count their own directory stream.
            var agreed = false
            for _ in 0..<50 where !agreed {
                await sampling.tick()
                let before = try await registry.parsedExposition().value("process_open_fds")
                let independent = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
                await sampling.tick()
                let after = try await registry.parsedExposition().value("process_open_fds")
                agreed = before == after && Double(independent) == after
            }
            #expect(agreed, "process_open_fds never matched an independent count of /proc/self/fd")

            #expect(exposition.value("process_max_fds") > 0)
            #expect(exposition.value("process_threads") >= 1)
            #expect(exposition.value("process_cpu_seconds_total") > 0)
            #expect(exposition.sum("llmdevops_process_read_errors_total") == 0)
        }
        #expect(collector.liveSweepThreads == 0)
    }

    @Test func samplingIntervalsOutsideTheRangeAreRejectedWithTheirKey() async throws {
        for (key, interval) in [
            ("process.samplingInterval", Duration.milliseconds(5)), ("process.samplingInterval", .seconds(61)),
            ("runtime.samplingInterval", .zero),
        ] {
            var configuration = eventOnlyConfiguration(models: [])
            configuration.process.isEnabled = key.hasPrefix("process")
            configuration.runtime.isEnabled = key.hasPrefix("runtime")
            configuration.process.samplingInterval = key.hasPrefix("process") ? interval : .seconds(1)
            configuration.runtime.samplingInterval = key.hasPrefix("runtime") ? interval : .seconds(1)
            let error = await #expect(throws: CollectorsError.self) {
                _ = try await MetricsCollectors(configuration: configuration, logger: .quiet)
            }
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.key == key)
        }
        var disabled = eventOnlyConfiguration(models: [])
        disabled.process.samplingInterval = .zero  // not validated while the collector is off
        _ = try await MetricsCollectors(configuration: disabled, logger: .quiet)
    }

    /// `MetricsCollectors.run()` starts the samplers on their interval and `flush()` waits for
    /// their first sample: right after it, the process and runtime families hold values.
    @Test func metricsCollectorsRunsTheSamplersAndFlushWaitsForTheFirstSample() async throws {
        var configuration = eventOnlyConfiguration(models: [])
        configuration.process.isEnabled = true
        configuration.runtime.isEnabled = true
        configuration.process.samplingInterval = .seconds(60)
        configuration.runtime.samplingInterval = .seconds(60)
        let exposition = try await withRunningCollectors(configuration) { metrics in
            await metrics.flush()
            return try await metrics.registry.parsedExposition()
        }
        #expect(exposition.value("process_cpu_seconds_total") > 0)
        #expect(exposition.value("process_open_fds") > 0)
        #expect(exposition.value("swift_threads") >= 1)
        #expect(exposition.labelValues("swift_info", "version").count == 1)
    }
}
