import Benchmark
import LLMDevOpsCollectors
import LLMDevOpsMetrics
import Logging

// The collector path of issue 6: `await metrics.llm.recordRequest(...)` from 2 producers until
// `flush()` returns, with the default event buffer (65,536). One iteration is `events` events;
// "events/s" is events applied / wall time from the first record to flush returning. The run
// fails (benchmark.error) when any event was dropped or a counter is not exact after flush.
// There is no swift-prometheus contender: it has no event pipeline.

private enum CollectorWorkload {
    static let events = 200_000
    static let producers = 2
    static let models = ["m0", "m1", "m2", "m3"]
    static let inputTokens = 800
    static let outputTokens = 250
    static let eventsPerSecond = BenchmarkMetric.custom("events/s", polarity: .prefersLarger, useScalingFactor: false)

    static var configuration: CollectorsConfiguration {
        var configuration = CollectorsConfiguration()
        configuration.llm.models = models.map {
            LLMModel($0, provider: "bench", price: LLMPrice(inputPerMillion: 1, outputPerMillion: 2))
        }
        configuration.process.isEnabled = false
        configuration.runtime.isEnabled = false
        configuration.swiftMetrics = nil
        return configuration
    }

    /// One producer's share: the call an application makes per finished LLM request.
    static func produce(_ metrics: MetricsCollectors, producer: Int, count: Int) async {
        for index in 0..<count {
            await metrics.llm.recordRequest(
                model: models[(index + producer) & 3], status: .success, duration: .milliseconds(index & 1023),
                inputTokens: inputTokens, outputTokens: outputTokens, timeToFirstToken: .milliseconds(300),
                finishReason: .stop)
        }
    }

    /// Sum of the samples of `name` (exact sample name, any labels) in a text exposition.
    static func sum(_ name: String, in text: String) -> Double {
        var total = 0.0
        for line in text.split(separator: "\n") where line.hasPrefix(name + "{") || line.hasPrefix(name + " ") {
            if let value = line.split(separator: " ").last.flatMap({ Double($0) }) { total += value }
        }
        return total
    }
}

func collectorBenchmarks() {
    Benchmark(
        "Collector path: recordRequest, 2 producers / ours",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal, CollectorWorkload.eventsPerSecond],
            warmupIterations: 1,
            scalingFactor: .one,
            maxDuration: .seconds(10),
            maxIterations: 15
        )
    ) { benchmark in
        let events = CollectorWorkload.events
        let perProducer = events / CollectorWorkload.producers
        let metrics = try await MetricsCollectors(
            configuration: CollectorWorkload.configuration,
            logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        let clock = ContinuousClock()
        let elapsed = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await metrics.run() }
            await metrics.llm.flush()  // the consumer is running before the clock starts
            benchmark.startMeasurement()
            let start = clock.now
            await withTaskGroup(of: Void.self) { producers in
                for producer in 0..<CollectorWorkload.producers {
                    producers.addTask { await CollectorWorkload.produce(metrics, producer: producer, count: perProducer) }
                }
            }
            await metrics.llm.flush()
            let elapsed = start.duration(to: clock.now)
            benchmark.stopMeasurement()
            metrics.shutdown()
            try await group.waitForAll()
            return elapsed
        }

        let text = String(decoding: await metrics.registry.render(.prometheusText), as: UTF8.self)
        let dropped = CollectorWorkload.sum("llmdevops_collector_events_dropped_total", in: text)
        let applied = CollectorWorkload.sum("llmdevops_llm_requests_total", in: text)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        benchmark.measurement(CollectorWorkload.eventsPerSecond, Int(applied / seconds))

        let expected: [(String, Double)] = [
            ("llmdevops_collector_events_total", Double(events)),
            ("llmdevops_collector_events_dropped_total", 0),
            ("llmdevops_llm_requests_total", Double(events)),
            ("llmdevops_llm_finish_reasons_total", Double(events)),
            ("llmdevops_llm_tokens_total", Double(events * (CollectorWorkload.inputTokens + CollectorWorkload.outputTokens))),
            ("llmdevops_llm_request_duration_seconds_count", Double(events)),
            ("llmdevops_llm_time_to_first_token_seconds_count", Double(events)),
        ]
        for (name, value) in expected where CollectorWorkload.sum(name, in: text) != value {
            benchmark.error(
                "Collector path: \(name) is \(CollectorWorkload.sum(name, in: text)), expected \(value) "
                    + "(\(Int(dropped)) dropped, \(Int(applied / seconds)) applied events/s)")
            return
        }
    }
}
