import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

@Suite struct ExpectSampleTests {
    @Test func findsSamplesByNameAndLabelsInBothFormats() async throws {
        let registry = RegistryActor()
        let requests = try await registry.makeCounterFamily(name: "llmdevops_llm_requests_total", labelNames: ["model", "status"])
        try await requests.labels(["model": "gpt-4o", "status": "success"]).increment(by: 3)
        for format in ExpositionFormat.allCases where format.isText {
            try await registry.expectSample(
                "llmdevops_llm_requests_total",
                labels: ["status": "success", "model": "gpt-4o"],
                value: 3,
                format: format
            )
        }
        #expect(try await registry.sampleValue("llmdevops_llm_requests_total", labels: ["model": "other", "status": "success"]) == nil)
    }

    @Test func reportsAWrongValueAndAMissingSample() async throws {
        let registry = RegistryActor()
        try await registry.makeGauge(name: "g").set(to: 2)
        do {
            try await registry.expectSample("g", value: 3)
            Issue.record("a wrong value passed")
        } catch let error as SampleExpectationError {
            #expect(error.actual == 2)
            #expect(error.description.contains("expected 3"))
        }
        do {
            try await registry.expectSample("g", labels: ["k": "v"], value: 2)
            Issue.record("a missing sample passed")
        } catch let error as SampleExpectationError {
            #expect(error.actual == nil)
            #expect(error.candidates == [[:]])
        }
    }

    @Test func manualClockDrivesTimestamps() async throws {
        let time = ManualMetricsClock(wallSeconds: 100)
        let registry = RegistryActor(configuration: RegistryConfiguration(clock: time.clock))
        let gauge = try await registry.makeGauge(name: "last_seen_seconds")
        time.advance(by: .milliseconds(2500))
        gauge.setToCurrentTime()
        try await registry.expectSample("last_seen_seconds", value: 102.5)
    }
}
