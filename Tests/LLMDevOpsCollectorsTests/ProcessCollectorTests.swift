import Foundation
import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ProcessCollectorTests {
    /// A fake proc root with known contents; `broken` names sources to make unreadable.
    static func makeFakeProc(broken: Set<String> = []) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("llmdevops-proc-\(UUID().uuidString)")
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: root.appendingPathComponent("self/fd"), withIntermediateDirectories: true)
        try fileManager.createDirectory(at: root.appendingPathComponent("self/net"), withIntermediateDirectories: true)
        let files: [String: String] = [
            "self/stat": "1234 (my (odd) proc) S 1 1 1 0 -1 4194560 100 0 0 0 250 150 0 0 20 0 7 0 5000 104857600 2560 18446744073709551615 1 1\n",
            "stat": "cpu  1 2 3 4\nbtime 1700000000\nprocesses 10\n",
            "self/status": "Name:\tproc\nVmRSS:\t  10240 kB\nThreads:\t7\n",
            "self/statm": "25600 2560 100 10 0 500 0\n",
            "self/limits": """
                Limit                     Soft Limit           Hard Limit           Units
                Max open files            1024                 524288               files
                Max address space         unlimited            unlimited            bytes

                """,
            "self/net/dev": """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo:    1000      10    0    0    0     0          0         0     2000      20    0    0    0     0       0          0
                  eth0:     500       5    0    0    0     0          0         0      700       7    0    0    0     0       0          0

                """,
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

    static func registry(procRoot: String) async throws -> RegistryActor {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        try await registry.register(collector: ProcessCollector(procRoot: procRoot))
        return registry
    }

    @Test func readsEveryValueFromAFakeProcRoot() async throws {
        let root = try Self.makeFakeProc()
        defer { try? FileManager.default.removeItem(at: root) }
        let exposition = try await Self.registry(procRoot: root.path).parsedExposition()
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
        #expect((exposition.sample(named: "process_heap_bytes", labels: [:])?.value ?? 0) > 0)
        #expect(exposition.sum("llmdevops_process_read_errors_total") == 0)
        #expect(exposition.value("llmdevops_registry_collector_success", ["collector": "process"]) == 1)
    }

    @Test(arguments: [
        ("self/stat", "stat", ["process_cpu_seconds_total", "process_start_time_seconds"]),
        ("self/statm", "statm", ["process_resident_memory_bytes", "process_virtual_memory_bytes"]),
        ("self/limits", "limits", ["process_max_fds", "process_virtual_memory_max_bytes"]),
        ("self/net/dev", "net_dev", ["process_network_receive_bytes_total"]),
        ("self/fd", "fd", ["process_open_fds"]),
        ("stat", "proc_stat", ["process_start_time_seconds"]),
    ])
    func anUnreadableSourceYieldsAnErrorMetricWhileTheOthersWork(path: String, source: String, missing: [String]) async throws {
        let root = try Self.makeFakeProc(broken: [path])
        defer { try? FileManager.default.removeItem(at: root) }
        let registry = try await Self.registry(procRoot: root.path)
        let exposition = try await registry.parsedExposition()
        for name in missing {
            #expect(exposition.sample(named: name, labels: [:]) == nil, "\(name) should be left out")
        }
        #expect(exposition.value("llmdevops_process_read_errors_total", ["source": source]) == 1)
        #expect(exposition.sum("llmdevops_process_read_errors_total") == 1)
        #expect(exposition.value("process_threads") == 7, "the other sources keep working")
        // The next scrape counts the failure again.
        try await registry.expectSample("llmdevops_process_read_errors_total", labels: ["source": source], value: 2)
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
        let registry = try await Self.registry(procRoot: root.path)
        let other = try await registry.makeCounter(name: "app_requests_total")
        other.increment(by: 3)
        for format in ExpositionFormat.allCases where format.isText {
            let exposition = try await registry.parsedExposition(format)
            #expect(exposition.value("app_requests_total") == 3)
            #expect(exposition.sample(named: "process_resident_memory_bytes", labels: [:]) == nil)
        }
        let exposition = try await registry.parsedExposition()
        for source in ["stat", "statm", "limits", "fd"] {  // proc_stat is read only after self/stat
            #expect((exposition.value("llmdevops_process_read_errors_total", ["source": source]) ?? 0) >= 1, "\(source)")
        }
    }

    @Test func agreesWithProcReadIndependently() async throws {
        let registry = try await Self.registry(procRoot: "/proc")
        let exposition = try await registry.parsedExposition()

        // Start time: exact, from the same two fields read with Foundation.
        let stat = try String(contentsOfFile: "/proc/self/stat", encoding: .utf8)
        let afterName = stat[stat.index(after: try #require(stat.lastIndex(of: ")")))...].split(separator: " ")
        let startTicks = try #require(Double(afterName[19]))
        let bootLine = try #require(try String(contentsOfFile: "/proc/stat", encoding: .utf8).split(separator: "\n").first { $0.hasPrefix("btime ") })
        let bootTime = try #require(Double(bootLine.split(separator: " ")[1]))
        #expect(exposition.value("process_start_time_seconds") == bootTime + startTicks / Double(sysconf(Int32(_SC_CLK_TCK))))

        // Resident memory: within 10 % of VmRSS read just before and just after our scrape (other
        // tests in this process allocate concurrently, so the bracket may move between reads).
        func vmRSS() throws -> Double {
            let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
            let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
            return try #require(Double(line.split(whereSeparator: { $0 == " " || $0 == "\t" })[1])) * 1024
        }
        var rssAgreed = false
        var last = ""
        for _ in 0..<50 where !rssAgreed {
            let before = try vmRSS()
            let resident = try await registry.parsedExposition().value("process_resident_memory_bytes")
            let after = try vmRSS()
            rssAgreed = resident >= 0.9 * min(before, after) && resident <= 1.1 * max(before, after)
            last = "statm \(resident) vs VmRSS \(before)…\(after)"
        }
        #expect(rssAgreed, "\(last)")

        // Open descriptors: exact whenever the count is stable across our two scrapes (other
        // tests in this process open and close files concurrently).
        var agreed = false
        for _ in 0..<50 where !agreed {
            let before = try await registry.parsedExposition().value("process_open_fds")
            let independent = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
            let after = try await registry.parsedExposition().value("process_open_fds")
            agreed = before == after && Double(independent) == after
        }
        #expect(agreed, "process_open_fds never matched an independent count of /proc/self/fd")

        #expect(exposition.value("process_max_fds") > 0)
        #expect(exposition.value("process_threads") >= 1)
        #expect(exposition.value("process_cpu_seconds_total") > 0)
        #expect(exposition.sum("llmdevops_process_read_errors_total") == 0)
    }
}
