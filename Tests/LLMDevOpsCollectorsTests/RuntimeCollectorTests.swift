import Foundation
import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

@Suite struct RuntimeCollectorTests {
    @Test func reportsVersionBuildAllocatorAndExecutorFigures() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        try await registry.register(
            collector: RuntimeCollector(configuration: RuntimeCollectorConfiguration(version: "1.2.3", revision: "abc123")))
        let exposition = try await registry.parsedExposition()
        let swiftInfo = try #require(exposition.samples.first { $0.name == "swift_info" })
        #expect(swiftInfo.labels["version"]?.hasPrefix("6.") == true)
        try await registry.expectSample("llmdevops_build_info", labels: ["version": "1.2.3", "revision": "abc123"], value: 1)
        #expect(exposition.value("swift_malloc_in_use_bytes") > 0)
        #expect(exposition.value("swift_malloc_arena_bytes") > 0)
        #expect(exposition.value("llmdevops_uptime_seconds") >= 0)
        #expect(exposition.value("swift_concurrency_task_start_delay_seconds") >= 0)
        #expect(exposition.value("llmdevops_registry_collector_success", ["collector": "runtime"]) == 1)
        for family in exposition.families where family.name.hasPrefix("swift_") || family.name.hasPrefix("llmdevops_uptime") {
            #expect(family.help?.isEmpty == false, "\(family.name) needs a HELP that says how it is measured")
        }
        // Threads: equal to an independent count of /proc/self/task whenever it is stable.
        var agreed = false
        for _ in 0..<50 where !agreed {
            let ours = try await registry.parsedExposition().value("swift_threads")
            let independent = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count
            agreed = ours == Double(independent)
        }
        #expect(agreed)
    }
}
