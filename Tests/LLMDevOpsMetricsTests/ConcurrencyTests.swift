import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Synchronization
import Testing

@Suite struct ConcurrencyTests {
    /// Writers record while renderers scrape both formats: every body parses strictly, every
    /// histogram's `_count` equals its `+Inf` bucket, counters never go backwards between
    /// renders, and the final totals are exact.
    @Test func recordingWhileRenderingStaysConsistentAndExact() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(exposeSelfMetrics: false))
        let perWorker = try await registry.makeCounterFamily(name: "work_items_total", help: "Items.", labelNames: ["worker"])
        let shared = try await registry.makeCounter(name: "work_shared_total", help: "Shared.")
        let latency = try await registry.makeHistogramFamily(name: "work_seconds", help: "Latency.", labelNames: ["worker"])
        let writers = 4
        let increments = 20_000
        let writersDone = DoneFlag()

        let renderReports = try await withThrowingTaskGroup(of: Int.self) { group in
            for renderer in 0..<2 {
                group.addTask {
                    let format: ExpositionFormat = renderer == 0 ? .prometheusText : .openMetrics
                    var renders = 0
                    var lastShared = 0.0
                    while !writersDone.value.load(ordering: .acquiring) && renders < 5_000 {
                        let parsed = try await registry.parsedExposition(format)
                        for sample in parsed.samples where sample.name == "work_seconds_count" {
                            var bucketLabels = sample.labels
                            bucketLabels["le"] = "+Inf"
                            let infinity = parsed.sample(named: "work_seconds_bucket", labels: bucketLabels)
                            #expect(infinity?.value == sample.value)
                        }
                        let current = parsed.sample(named: "work_shared_total", labels: [:])?.value ?? 0
                        #expect(current >= lastShared)
                        lastShared = current
                        renders += 1
                    }
                    return renders
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { writersGroup in
                for worker in 0..<writers {
                    writersGroup.addTask {
                        let mine = try await perWorker.labels(["worker": "w\(worker)"])
                        let histogram = try await latency.labels(["worker": "w\(worker)"])
                        for step in 0..<increments {
                            mine.increment()
                            shared.increment(by: step.isMultiple(of: 2) ? 1 : 1.0)
                            histogram.observe(Double(step % 100) / 100)
                            if step.isMultiple(of: 5_000) { await Task.yield() }
                        }
                    }
                }
                try await writersGroup.waitForAll()
            }
            writersDone.value.store(true, ordering: .releasing)
            var renders: [Int] = []
            for try await count in group { renders.append(count) }
            return renders
        }
        #expect(renderReports.allSatisfy { $0 > 0 }, "each renderer rendered at least once: \(renderReports)")
        try await registry.expectSample("work_shared_total", value: Double(writers * increments))
        for worker in 0..<writers {
            try await registry.expectSample("work_items_total", labels: ["worker": "w\(worker)"], value: Double(increments))
            try await registry.expectSample("work_seconds_count", labels: ["worker": "w\(worker)"], value: Double(increments))
        }
    }
}

/// A flag shared between tasks.
final class DoneFlag: Sendable {
    let value = Atomic<Bool>(false)
}
