import Foundation
import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

/// Measures events per second through `recordRequest` with two producers, until flushed, and
/// checks the accounting (no timing is asserted): every offered event was applied or counted as
/// dropped. Run in release: `LLMDEVOPS_MEASURE=1 swift test -c release --filter Throughput`.
@Suite struct ThroughputMeasurement {
    /// `record` applies on the producer's task while nothing is queued, so neither buffer size
    /// should drop anything; the benchmark `Collector path: recordRequest, 2 producers` is the
    /// figure of record (this test's larger run is a cross-check).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LLMDEVOPS_MEASURE"] == "1"), arguments: [65_536, 2_000_000])
    func recordRequestWithTwoProducers(bufferSize: Int) async throws {
        let perProducer = 1_000_000
        let configuration = eventOnlyConfiguration(models: ["m0", "m1", "m2", "m3"], bufferSize: bufferSize)
        let (elapsed, dropped, counted) = try await withRunningCollectors(configuration) { metrics in
            let clock = ContinuousClock()
            let start = clock.now
            await withTaskGroup(of: Void.self) { group in
                for producer in 0..<2 {
                    group.addTask {
                        for index in 0..<perProducer {
                            await metrics.llm.recordRequest(
                                model: "m\((index + producer) & 3)", status: .success, duration: .milliseconds(index & 1023),
                                inputTokens: 800, outputTokens: 250, timeToFirstToken: .milliseconds(300), finishReason: .stop)
                        }
                    }
                }
            }
            await metrics.flush()
            let elapsed = start.duration(to: clock.now)
            let exposition = try await metrics.registry.parsedExposition()
            let counted = exposition.samples.filter { $0.name == "llmdevops_llm_requests_total" }.reduce(0) { $0 + $1.value }
            return (elapsed, exposition.value("llmdevops_collector_events_dropped_total", ["collector": "llm"]), counted)
        }
        let seconds = elapsed.seconds
        let applied = Double(2 * perProducer) - dropped
        #expect(counted == applied, "requests counted \(counted) != offered \(2 * perProducer) - dropped \(dropped)")
        print("throughput (buffer \(bufferSize)): \(2 * perProducer) events offered, \(Int(dropped)) dropped, \(Int(applied / seconds)) applied events/s, \(Int(Double(2 * perProducer) / seconds)) offered events/s (\(seconds) s)")
    }
}
