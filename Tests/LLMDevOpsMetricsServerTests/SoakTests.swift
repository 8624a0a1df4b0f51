import AsyncHTTPClient
import Foundation
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import LLMDevOpsTestSupport
import Synchronization
import Testing

/// The soak (issue 7, item 1): the real service binary under two paced writers — its own demo
/// workload through the public collector API, and `llmdevops-sidecar-load` through the sidecar
/// socket — while the test scrapes both formats every 100 ms and a real Prometheus scrapes
/// every second, for `LLMDEVOPS_SOAK_SECONDS` (default 60).
///
/// Every scrape must parse strictly; every counter, `_count`, `_bucket` and histogram `_sum`
/// must never go down between two scrapes of one format; the final totals must equal the
/// writers' seeded workloads recorded in process; resident memory after warm-up must stay
/// within 10% of its median; and Prometheus must report the target up at every scrape.
@Suite(.requires(.prometheus)) struct SoakTests {
    /// How long the writers run, in seconds.
    static let seconds = max(20, Int(ProcessInfo.processInfo.environment["LLMDEVOPS_SOAK_SECONDS"] ?? "") ?? 60)
    /// Events per second of each writer.
    static let rate = 2_000
    /// A guard against a hang, not a performance bound: the checker parses every scraped body
    /// strictly (about 0.1 s each in a debug build on an idle machine; measured up to 0.9 s on
    /// a 2-core machine shared with other builds, where a 20 s soak took 165-433 s in all).
    static let timeLimitMinutes = 10 + seconds / 10

    /// One scrape's monotonic samples, by name and label set.
    typealias Snapshot = [String: Double]

    @Test(.timeLimit(minutes: timeLimitMinutes))
    func serviceStaysCorrectUnderSustainedLoad() async throws {
        try ExternalTool.prometheus.require()
        let seconds = Self.seconds
        let events = Self.rate * seconds
        let directory = try TemporaryDirectory()
        let socketPath = directory.path("soak.sock")
        let config = try directory.write(
            "soak.yaml",
            """
            prometheus_metrics:
              endpoint: { host: "127.0.0.1", port: 0, path: "/metrics" }
              cache: { enabled: true, ttl_ms: 200 }
              cardinality: { max_per_metric: 1000, total_limit: 50000 }
              rate_limit: { enabled: false }
              sidecar: { enabled: true, socket_path: "\(socketPath)" }
            """)
        // Writer 1: the service's own demo workload (seed 42) through the public API, paced.
        let service = try ChildProcess(
            executable: try ChildProcess.serviceExecutable,
            arguments: ["--config", config, "--demo-events", "\(events)", "--demo-rate", "\(Self.rate)"],
            environment: ChildProcess.environment([:]), directory: directory.url)
        var prometheus: PrometheusProcess?
        var load: ChildProcess?
        do {
            let port = try #require(
                try await service.waitForStandardError(#"llmdevops\.http\.port=(\d+)"#, timeout: ChildProcess.startupTimeout),
                "the service did not report its port: \(service.standardError)")
            try #require(try await service.waitForStandardError("Sidecar listening", timeout: ChildProcess.startupTimeout) != nil)
            let started = try PrometheusProcess.start(directory: directory, job: "soak", target: "127.0.0.1:\(port)")
            prometheus = started
            // Writer 2: a second process through the sidecar socket (seed 7), paced, with a buffer
            // larger than the run so that nothing is dropped and every total is exact.
            load = try ChildProcess(
                executable: try ChildProcess.sidecarLoadExecutable,
                arguments: [
                    "--socket", socketPath, "--events", "\(events)", "--rate", "\(Self.rate)", "--seed", "7",
                    "--buffer", "\(events * 2)",
                ],
                environment: ChildProcess.environment([:]), directory: directory.url)

            let metricsURL = "http://127.0.0.1:\(port)/metrics"
            try await TestHTTPClient.with { client in
                // --- the soak: scrape both formats every 100 ms until both writers are done -----
                // Fetching keeps the 100 ms cadence; parsing (about 0.1 s for a 600 KB body in a
                // debug build) runs beside it on its own serial queue, off the cooperative pool,
                // and drains after the writers stop. Bodies wait gzip-compressed.
                let checker = ScrapeChecker()
                var scrapes = 0
                var rss: [(second: Double, kilobytes: Int)] = []
                // The `up` checks below cover the soak: start it once Prometheus has scraped the
                // service (bounded; it starts in a few seconds), not while Prometheus starts.
                _ = try await started.waitUntilUp(["soak"], client, timeout: .seconds(30 * TimeLimitFactor.value))
                let soakStart = ContinuousClock.now
                let deadline = soakStart + .seconds(seconds * 3 + 60)
                var nextTick = soakStart
                var nextMemorySample = soakStart
                var loadReport: SidecarLoadReport?
                var demoDone = false
                while ContinuousClock.now < deadline {
                    // Both formats at once, so a loaded machine keeps the 100 ms cadence.
                    async let text = client.fetch(
                        metricsURL, headers: [("Accept", ExpositionFormat.prometheusText.contentType), ("Accept-Encoding", "gzip")])
                    async let openMetrics = client.fetch(
                        metricsURL, headers: [("Accept", ExpositionFormat.openMetrics.contentType), ("Accept-Encoding", "gzip")])
                    for (format, response) in [(ExpositionFormat.prometheusText, try await text), (.openMetrics, try await openMetrics)] {
                        scrapes += 1
                        try #require(response.status == 200, "scrape \(scrapes) answered \(response.status)")
                        try #require(response.header("Content-Encoding") == "gzip")
                        checker.check(response.body, format: format)
                    }
                    let now = ContinuousClock.now
                    if now >= nextMemorySample, let kilobytes = Self.residentKilobytes(pid: service.pid) {
                        rss.append(((now - soakStart).seconds, kilobytes))
                        nextMemorySample = now + .seconds(1)
                    }
                    if loadReport == nil, let loader = load, !loader.isRunning {
                        #expect(await loader.waitForExit(timeout: .seconds(5)) == 0, "\(loader.standardError)")
                        loadReport = try SidecarLoadReport(output: loader.standardOutput)
                    }
                    if !demoDone { demoDone = service.standardError.contains("Demo workload applied") }
                    if demoDone, loadReport != nil, now - soakStart >= .seconds(seconds) { break }
                    nextTick = nextTick + .milliseconds(100)
                    if nextTick > now { try await Task.sleep(until: nextTick, clock: .continuous) } else { nextTick = now }
                }
                let scrapeSeconds = (ContinuousClock.now - soakStart).seconds
                // Prometheus' clock at the end of the soak, to evaluate `up` over the soak itself.
                let soakEnd = Date().timeIntervalSince1970
                Self.phase("writers done (\(scrapes) scrapes)", since: soakStart)
                let drainStart = ContinuousClock.now
                let stats = await checker.finish()
                let drainSeconds = (ContinuousClock.now - drainStart).seconds
                Self.phase("every scrape parsed and checked", since: soakStart)
                #expect(stats.parsed == scrapes, "parsed \(stats.parsed) of \(scrapes) scrapes")
                #expect(stats.problems.isEmpty, "\(stats.problems.prefix(10))")
                let elapsed = scrapeSeconds
                try #require(demoDone, "the demo workload did not finish in time: \(service.standardError.suffix(2000))")
                let report = try #require(loadReport, "the sidecar writer did not finish in time")
                #expect(report.sent == report.recorded)
                #expect(report.dropped == 0)

                // --- exact totals: both seeded workloads recorded in process -------------------
                let expectationStart = ContinuousClock.now
                let expected = try await DemoExpectation.recordedExposition(
                    runs: [(seed: 42, events: events), (seed: 7, events: events)], format: .prometheusText)
                let expectationSeconds = (ContinuousClock.now - expectationStart).seconds
                Self.phase("expected totals recorded in process", since: soakStart)
                let expectedRequests = expected.sum("llmdevops_llm_requests_total")
                var final = try ExpositionParser.parse(try await client.fetch(metricsURL).body, syntax: .prometheusText)
                for _ in 0..<400 where final.sum("llmdevops_llm_requests_total") != expectedRequests {
                    try await Task.sleep(for: .milliseconds(50))
                    final = try ExpositionParser.parse(try await client.fetch(metricsURL).body, syntax: .prometheusText)
                }
                var compared = 0
                for sample in expected.samples where sample.name.hasPrefix("llmdevops_llm_") || sample.name.hasPrefix("llmdevops_agent_") {
                    guard expected.family(containing: sample.name)?.type != "gauge" else { continue }
                    let actual = final.sample(named: sample.name, labels: sample.labels)?.value
                    if sample.value.rounded() != sample.value || sample.name.hasSuffix("_sum") {
                        // Sums of fractional values (durations, costs): interleaving the writers
                        // changes the order of the float additions, and the sidecar carries them
                        // as decimal text, so equal to the last bits. Counts are exact.
                        let difference = abs((actual ?? .nan) - sample.value)
                        #expect(difference <= 1e-9 * max(1, abs(sample.value)), "\(sample.name)\(sample.labels)")
                    } else {
                        #expect(actual == sample.value, "\(sample.name)\(sample.labels)")
                    }
                    compared += 1
                }
                #expect(compared > 500)
                #expect(final.sum("llmdevops_sidecar_messages_total") == Double(report.sent))
                #expect(final.sum("llmdevops_sidecar_messages_rejected_total") == 0)
                #expect(final.sum("llmdevops_collector_events_dropped_total") == 0)
                let apiEvents = final.sum("llmdevops_collector_events_total") - Double(report.sent)

                Self.phase("final totals compared", since: soakStart)

                // --- resident memory: flat within 10% after warm-up ---------------------------
                let warmUp = Double(max(5, seconds / 4))
                let settled = rss.filter { $0.second >= warmUp }.map(\.kilobytes)
                try #require(settled.count >= 5, "too few memory samples after warm-up: \(rss)")
                // Flat: every sample after warm-up within 10% of their median (allocator noise
                // here is about ±4%; a leak would carry the later samples out of the band).
                let median = Double(settled.sorted()[settled.count / 2])
                let low = try #require(settled.min())
                let peak = try #require(rss.map(\.kilobytes).max())
                let settledPeak = try #require(settled.max())
                #expect(Double(settledPeak) <= median * 1.10 && Double(low) >= median * 0.90, "RSS after warm-up (KiB): \(settled)")

                // --- Prometheus: the target was up at every scrape ------------------------------
                // Evaluated at the soak's end: evaluated now, the window would cover the checker's
                // drain after the soak instead (it once did, and failed there, in a round that
                // shared the machine with a full CI run).
                let window = Int(elapsed.rounded(.down))
                let upSamples = try await started.query(
                    "count_over_time(up{job=\"soak\"}[\(window)s])", at: soakEnd, client
                ).flatMap(Double.init)
                let upMinimum = try await started.query(
                    "min_over_time(up{job=\"soak\"}[\(window)s])", at: soakEnd, client
                ).flatMap(Double.init)
                #expect(upMinimum == 1, "min_over_time(up) = \(String(describing: upMinimum))")
                #expect((upSamples ?? 0) >= Double(window) * 0.8, "Prometheus scraped \(upSamples ?? 0) times in \(window) s")
                var stored: Double?
                for _ in 0..<40 {
                    stored = try await started.query("sum(llmdevops_llm_requests_total)", client).flatMap(Double.init)
                    if stored == expectedRequests { break }
                    try await Task.sleep(for: .milliseconds(250))
                }
                #expect(stored == expectedRequests, "Prometheus stored \(String(describing: stored)), expected \(expectedRequests)")

                print(
                    "soak: seconds=\(Int(elapsed)) checker_drain_s=\(Int(drainSeconds)) expectation_s=\(Int(expectationSeconds)) scrapes=\(scrapes) (every \(Int(elapsed * 1000) / max(1, scrapes / 2)) ms per format pair) parsed=\(stats.parsed) "
                        + "monotonic_checks=\(stats.compared) decreases=\(stats.decreases) "
                        + "events_api=\(Int(apiEvents)) events_sidecar=\(report.sent) requests_counted=\(Int(final.sum("llmdevops_llm_requests_total"))) "
                        + "samples_compared=\(compared) rss_kib_after_warmup=\(low)...\(settledPeak) (median \(Int(median))) rss_kib_peak=\(peak) "
                        + "rss_kib_final=\(rss.last?.kilobytes ?? 0) prometheus_up_samples=\(Int(upSamples ?? 0)) "
                        + "prometheus_up_min=\(upMinimum.map { String($0) } ?? "none") "
                        + "rss_kib_every_5s=\(rss.enumerated().filter { $0.offset % 5 == 0 }.map { String($0.element.kilobytes) }.joined(separator: ","))")
            }
        } catch {
            await load?.stop()
            await prometheus?.stop()
            await service.stop()
            throw error
        }
        await load?.stop()
        #expect(await prometheus?.stop() != nil)
        let status = await service.stop()
        #expect(status == 0, "the service must exit 0 after SIGTERM: \(service.standardError.suffix(2000))")
    }

    /// Parses every scraped body in order on a serial dispatch queue (off Swift's cooperative
    /// threads, which the servers under test need) and checks counters never go down between two
    /// scrapes of one format. Problems are collected and reported by the test afterwards.
    final class ScrapeChecker: Sendable {
        struct Stats: Sendable {
            var parsed = 0
            var compared = 0
            var decreases = 0
            var problems: [String] = []
        }

        private let queue = DispatchQueue(label: "soak.scrape-checker")
        private let state = Lock<(stats: Stats, previous: [ExpositionFormat: Snapshot])>((Stats(), [:]))

        func check(_ compressed: [UInt8], format: ExpositionFormat) {
            queue.async { [self] in
                let result = Result { () throws -> Snapshot in
                    let body = try MetricsEndpointTests.gunzip(compressed)
                    let parsed = try ExpositionParser.parse(body, syntax: format == .openMetrics ? .openMetrics : .prometheusText)
                    return SoakTests.monotonicSamples(parsed)
                }
                state.withLock { state in
                    switch result {
                    case .success(let snapshot):
                        state.stats.parsed += 1
                        if let before = state.previous[format] {
                            let decreases = SoakTests.decreases(from: before, to: snapshot)
                            state.stats.decreases += decreases.count
                            state.stats.problems += decreases.prefix(5)
                        }
                        state.stats.compared += snapshot.count
                        state.previous[format] = snapshot
                    case .failure(let error):
                        state.stats.problems.append("\(format.rawValue) body did not parse: \(error)")
                    }
                }
            }
        }

        /// Waits until every body handed over so far is checked.
        func finish() async -> Stats {
            await withCheckedContinuation { done in
                queue.async { [self] in done.resume(returning: state.withLock { $0.stats }) }
            }
        }
    }

    /// Notes on stderr (unbuffered) when a phase of the soak ends, with the time since `start`,
    /// so that a slow run shows where its time went even if it is cancelled.
    static func phase(_ name: String, since start: ContinuousClock.Instant) {
        let elapsed = Int((ContinuousClock.now - start).seconds)
        FileHandle.standardError.write(Data("soak-phase: \(name) at \(elapsed) s\n".utf8))
    }

    /// Counter, `_count`, `_bucket` and histogram `_sum` samples (observations here are never
    /// negative), keyed by name and labels.
    static func monotonicSamples(_ parsed: ParsedExposition) -> Snapshot {
        var snapshot: Snapshot = [:]
        for family in parsed.families where family.type == "counter" || family.type == "histogram" {
            for sample in family.samples where !sample.name.hasSuffix("_created") {
                let labels = sample.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                snapshot["\(sample.name){\(labels)}"] = sample.value
            }
        }
        return snapshot
    }

    /// The series whose value went down from `before` to `after`.
    static func decreases(from before: Snapshot, to after: Snapshot) -> [String] {
        after.compactMap { key, value in
            guard let old = before[key], value < old else { return nil }
            return "\(key): \(old) -> \(value)"
        }
    }

    /// VmRSS of `pid` from `/proc/<pid>/status`, in KiB.
    static func residentKilobytes(pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }
}

extension ParsedExposition {
    /// The family a sample belongs to (its name, or its name less a histogram or counter suffix).
    func family(containing sampleName: String) -> ParsedFamily? {
        if let family = family(named: sampleName) { return family }
        for suffix in ["_total", "_bucket", "_count", "_sum", "_created", "_info"] where sampleName.hasSuffix(suffix) {
            if let family = family(named: String(sampleName.dropLast(suffix.count))) { return family }
        }
        return nil
    }
}
