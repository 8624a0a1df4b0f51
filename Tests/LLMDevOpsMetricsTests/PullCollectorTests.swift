import LLMDevOpsMetrics
import Testing

struct FixedCollector: PullCollector {
    enum Failure: Error { case unreadable }

    let name: String
    let metrics: [MetricDescriptor]
    let result: Result<[CollectedFamily], Failure>

    func collect() async throws -> [CollectedFamily] {
        try result.get()
    }
}

@Suite struct PullCollectorTests {
    let registry = RegistryActor()

    @Test func collectedValuesAreRenderedAndValidated() async throws {
        let collector = FixedCollector(
            name: "fixed",
            metrics: [
                try MetricDescriptor(type: .gauge, name: "proc_threads", labelNames: ["kind"]),
                try MetricDescriptor(type: .counter, name: "proc_cpu_seconds_total", unit: "seconds"),
                try MetricDescriptor(type: .histogram, name: "proc_wait", buckets: [1]),
            ],
            result: .success([
                CollectedFamily(name: "proc_threads", samples: [
                    CollectedSample(labels: ["kind": "worker"], value: .gauge(4)),
                    CollectedSample(labels: ["kind": "io"], value: .gauge(2)),
                    CollectedSample(labels: ["wrong": "x"], value: .gauge(1)),  // dropped: wrong labels
                ]),
                CollectedFamily(name: "proc_cpu_seconds", samples: [CollectedSample(value: .counter(1.5))]),
                CollectedFamily(name: "proc_wait", samples: [
                    CollectedSample(value: .histogram(cumulativeCounts: [2, 1], sum: 3)),  // dropped: not cumulative
                ]),
            ])
        )
        try await registry.register(collector: collector)
        let lines = await renderLines(registry)
        #expect(lines.contains(#"proc_threads{kind="io"} 2"#))
        #expect(lines.contains(#"proc_threads{kind="worker"} 4"#))
        #expect(lines.contains("proc_cpu_seconds_total 1.5"))
        #expect(!lines.contains { $0.contains("wrong") || $0.hasPrefix("proc_wait_bucket") })
        #expect(lines.contains(#"llmdevops_registry_collector_success{collector="fixed"} 0"#))
        #expect(lines.contains(#"llmdevops_registry_collector_errors_total{collector="fixed"} 1"#))
    }

    @Test func aFailingCollectorYieldsAnErrorMetricNotAFailedScrape() async throws {
        let counter = try await registry.makeCounter(name: "app_requests_total")
        counter.increment()
        try await registry.register(
            collector: FixedCollector(
                name: "process",
                metrics: [try MetricDescriptor(type: .gauge, name: "process_open_fds")],
                result: .failure(.unreadable)
            )
        )
        try await registry.register(
            collector: FixedCollector(
                name: "healthy",
                metrics: [try MetricDescriptor(type: .gauge, name: "healthy_value")],
                result: .success([CollectedFamily(name: "healthy_value", samples: [CollectedSample(value: .gauge(7))])])
            )
        )
        let lines = await renderLines(registry)
        #expect(lines.contains("app_requests_total 1"))
        #expect(lines.contains("healthy_value 7"))
        #expect(!lines.contains { $0.hasPrefix("process_open_fds") })
        #expect(lines.contains(#"llmdevops_registry_collector_success{collector="process"} 0"#))
        #expect(lines.contains(#"llmdevops_registry_collector_errors_total{collector="process"} 1"#))
        #expect(lines.contains(#"llmdevops_registry_collector_success{collector="healthy"} 1"#))
    }

    @Test func collectorMetricsCannotClashWithFamilies() async throws {
        _ = try await registry.makeHistogram(name: "latency")
        let clashing = FixedCollector(
            name: "clash",
            metrics: [try MetricDescriptor(type: .gauge, name: "latency_count")],
            result: .success([])
        )
        await #expect(throws: MetricsError.self) { try await registry.register(collector: clashing) }
        let empty = FixedCollector(name: "empty", metrics: [], result: .success([]))
        do {
            try await registry.register(collector: empty)
            Issue.record("a collector without metrics was accepted")
        } catch {
            #expect(error.code == .invalidCollector)
        }
    }
}
