import Foundation
import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import LLMDevOpsMetricsTesting
import LLMDevOpsTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 19: a `/proc` source that blocks (a FIFO with no writer in place of `self/status`)
/// holds one parked sampler thread and nothing else. Scrapes over real HTTP keep answering
/// fresh within the configured scrape timeout with every other process family, the blocked
/// source is reported, and when the FIFO is released its late read is applied, the parked
/// thread ends and sampling of that source resumes.
@Suite(.timeLimit(minutes: 2)) struct BlockedProcSourceTests {
    /// The real file-system reader, counting reads per path and announcing each one as it begins.
    final class AnnouncingReader: ProcReader {
        private let reader = FileSystemProcReader()
        private let paths = Lock<[String]>([])
        let began: AsyncStream<String>
        private let continuation: AsyncStream<String>.Continuation

        init() {
            (began, continuation) = AsyncStream.makeStream(of: String.self)
        }

        func reads(endingIn suffix: String) -> Int { paths.withLock { $0.filter { $0.hasSuffix(suffix) }.count } }

        func contents(of path: String) -> String? {
            paths.withLock { $0.append(path) }
            continuation.yield(path)
            return reader.contents(of: path)
        }

        func countEntries(_ path: String) -> Int? {
            paths.withLock { $0.append(path) }
            continuation.yield(path)
            return reader.countEntries(path)
        }
    }

    static func makeProcRoot() throws -> URL {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("llmdevops-fifo-proc-\(UUID().uuidString)")
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: root.appendingPathComponent("self/fd"), withIntermediateDirectories: true)
        try fileManager.createDirectory(at: root.appendingPathComponent("self/net"), withIntermediateDirectories: true)
        let files = [
            "self/stat": "1 (p) S 1 1 1 0 -1 0 0 0 0 0 250 150 0 0 20 0 7 0 5000 104857600 2560 0 1 1\n",
            "stat": "btime 1700000000\n",
            "self/statm": "25600 2560 100 10 0 500 0\n",
            "self/limits": "Max open files            1024      1024      files\n"
                + "Max address space         unlimited unlimited bytes\n",
            "self/net/dev": "Inter-|\n lo: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n",
            "self/fd/0": "",
        ]
        for (path, contents) in files {
            try contents.write(to: root.appendingPathComponent(path), atomically: true, encoding: .utf8)
        }
        guard mkfifo(root.appendingPathComponent("self/status").path, 0o600) == 0 else {
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        return root
    }

    /// Opens the FIFO's write end without blocking (fails when no reader is waiting), writes
    /// `text` and closes it, which ends the blocked reader's read.
    @discardableResult
    static func release(_ fifo: String, writing text: String = "") -> Bool {
        let descriptor = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        return true
    }

    @Test func aBlockedSourceIsReportedWhileScrapesAnswerWithEveryOtherFamily() async throws {
        let root = try Self.makeProcRoot()
        let fifo = root.appendingPathComponent("self/status").path
        defer {
            Self.release(fifo)  // whatever happened, never leave a reader parked
            try? FileManager.default.removeItem(at: root)
        }
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        let reader = AnnouncingReader()
        let (applied, appliedContinuation) = AsyncStream.makeStream(of: ProcessSample.self)
        let collector = try await ProcessCollector(
            registry: registry, configuration: ProcessCollectorConfiguration(procRoot: root.path), reader: reader,
            applied: { appliedContinuation.yield($0) })
        let (ticks, tick) = AsyncStream.makeStream(of: Void.self)
        let configuration = RunningServer.configuration { $0.limits.scrapeTimeoutMilliseconds = 2000 }

        try await RunningServer.with(configuration, registry: registry) { server in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await collector.run(ticks: ticks) }
                defer { collector.finish() }

                // Sweep 1 reaches the FIFO and blocks in open(2).
                tick.yield()
                var announced = false
                for await path in reader.began where path == fifo {
                    announced = true
                    break
                }
                #expect(announced)
                // Sweep 2 finds that read still in progress: status is stalled, the rest is read.
                tick.yield()
                await collector.wait(forSweep: 2)
                tick.yield()
                await collector.wait(forSweep: 3)
                #expect(reader.reads(endingIn: "/self/status") == 1, "a stalled source is not read again")
                // Sweep 1 read stat before it blocked and never reached statm; sweeps 2 and 3 read both.
                #expect(reader.reads(endingIn: "/self/stat") == 3)
                #expect(reader.reads(endingIn: "/self/statm") == 2)
                #expect(collector.liveSweepThreads == 1, "only the parked reader is left")

                let expected = [
                    "process_cpu_seconds_total", "process_start_time_seconds", "process_virtual_memory_bytes",
                    "process_resident_memory_bytes", "process_open_fds", "process_max_fds",
                    "process_virtual_memory_max_bytes", "process_network_receive_bytes_total",
                    "process_network_transmit_bytes_total",
                ]
                try await TestHTTPClient.with { client in
                    for _ in 0..<5 {
                        let response = try await client.fetch(server.url("/metrics"))
                        // 200 without the stale marker: rendered fresh within the 2 s scrape
                        // timeout (a render that overran it would be a 503 or the last body).
                        #expect(response.status == 200)
                        #expect(response.header("X-LLMDevOps-Stale") == nil)
                        let exposition = try ExpositionParser.parse(response.text, syntax: .prometheusText)
                        for name in expected {
                            #expect(exposition.sample(named: name, labels: [:]) != nil, "\(name) missing")
                        }
                        #expect(exposition.sample(named: "process_threads", labels: [:]) == nil)
                        func value(_ name: String, _ source: String) -> Double? {
                            exposition.sample(named: name, labels: ["source": source])?.value
                        }
                        #expect(value("llmdevops_process_read_stalled", "status") == 1)
                        #expect(value("llmdevops_process_read_stalled", "statm") == 0)
                        #expect(value("llmdevops_process_read_errors_total", "status") == 0)
                    }
                }

                // Release the FIFO with valid content: the late read (sweep 1) is applied.
                #expect(Self.release(fifo, writing: "Name:\tp\nThreads:\t9\n"), "no reader was parked on the FIFO")
                var late = false
                for await sample in applied {
                    if case .read(.status, sweep: 1, .some(.status(threads: 9))) = sample {
                        late = true
                        break
                    }
                }
                #expect(late)
                #expect(collector.liveSweepThreads == 0, "the parked thread ended")
                try await registry.expectSample("process_threads", value: 9)
                try await registry.expectSample(
                    "llmdevops_process_read_stalled", labels: ["source": "status"], value: 0)

                // A regular file again: the next sweep reads status as usual.
                try FileManager.default.removeItem(atPath: fifo)
                try "Threads:\t11\n".write(toFile: fifo, atomically: true, encoding: .utf8)
                tick.yield()
                await collector.wait(forSweep: 4)
                try await registry.expectSample("process_threads", value: 11)
                #expect(reader.reads(endingIn: "/self/status") == 2)
                #expect(collector.liveSweepThreads == 0)
                collector.finish()
                try await group.waitForAll()
            }
        }
    }
}
