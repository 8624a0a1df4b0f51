import InMemoryLogging
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Logging
import Testing

@Suite struct RejectionLogTests {
    /// A flood of rejections logs one warning per interval, carrying how many it stands for.
    @Test func rejectionWarningsAreRateLimited() async throws {
        let time = ManualMetricsClock()
        let handler = InMemoryLogHandler()
        let logger = Logger(label: "test", factory: { _ in handler })
        let registry = RegistryActor(
            configuration: RegistryConfiguration(
                maxSeriesPerMetric: 1,
                rejectionLogInterval: .seconds(60),
                clock: time.clock
            ),
            logger: logger
        )
        let family = try await registry.makeCounterFamily(name: "c_total", labelNames: ["id"])
        for id in 0..<501 { _ = try await family.labels(["id": "\(id)"]) }  // 500 rejected
        #expect(handler.entries.count == 1)
        #expect(handler.entries.first?.level == .warning)
        #expect(handler.entries.first?.metadata["llmdevops.registry.rejections"] == "1")
        #expect(handler.entries.first?.metadata["llmdevops.registry.family"] == "c")
        #expect(handler.entries.first?.metadata["llmdevops.registry.reason"] == "metric_limit")
        time.advance(by: .seconds(60))
        _ = try await family.labels(["id": "next"])
        #expect(handler.entries.count == 2)
        #expect(handler.entries.last?.metadata["llmdevops.registry.rejections"] == "500")
    }
}
