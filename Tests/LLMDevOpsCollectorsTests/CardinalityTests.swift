import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

/// 10,000 invented model, agent and tool names: series stay under their caps, the values land
/// in `other` / `_unknown`, and each one is counted as overflow.
@Suite struct CollectorCardinalityTests {
    @Test func inventedNamesFoldIntoOtherAndAreCounted() async throws {
        let count = 10_000
        let configuration = eventOnlyConfiguration(
            models: ["gpt-4o", "claude"], agents: [AgentDefinition("router", tools: ["search", "ticket"])])
        let exposition = try await withRunningCollectors(configuration) { metrics in
            for index in 0..<count {
                await metrics.llm.recordRequest(
                    model: "hallucinated-model-\(index)", status: .success, duration: .milliseconds(100),
                    inputTokens: 10, outputTokens: 5, timeToFirstToken: .milliseconds(20))
                await metrics.agent.recordToolCall(agent: "router", tool: "invented_tool_\(index)", duration: .milliseconds(5))
                await metrics.agent.recordStep(agent: "agent-\(index)", type: .plan)
            }
            await metrics.llm.recordRequest(model: "gpt-4o", status: .success, duration: .milliseconds(100))
            await metrics.agent.recordToolCall(agent: "router", tool: "search", duration: .milliseconds(5))
            await metrics.flush()
            return try await metrics.registry.parsedExposition()
        }
        #expect(exposition.labelValues("llmdevops_llm_requests_total", "model") == ["other", "gpt-4o"])
        #expect(exposition.labelValues("llmdevops_llm_tokens_total", "model") == ["other", "gpt-4o"])
        #expect(exposition.labelValues("llmdevops_llm_request_duration_seconds_count", "model") == ["other", "gpt-4o"])
        #expect(exposition.value("llmdevops_llm_requests_total", ["model": "other", "status": "success"]) == Double(count))
        #expect(exposition.labelValues("llmdevops_agent_tool_calls_total", "tool") == ["_unknown", "search"])
        #expect(exposition.labelValues("llmdevops_agent_tool_call_duration_seconds_count", "tool") == ["_unknown", "search"])
        #expect(exposition.value("llmdevops_agent_tool_calls_total", ["agent": "router", "tool": "_unknown"]) == Double(count))
        #expect(exposition.value("llmdevops_agent_unknown_tool_calls_total", ["agent": "router"]) == Double(count))
        #expect(exposition.labelValues("llmdevops_agent_steps_total", "agent") == ["other"])

        let overflow = "llmdevops_collector_label_overflow_total"
        #expect(exposition.value(overflow, ["metric": "llmdevops_llm_requests_total", "label": "model"]) == Double(count))
        #expect(exposition.value(overflow, ["metric": "llmdevops_agent_tool_calls_total", "label": "tool"]) == Double(count))
        #expect(exposition.value(overflow, ["metric": "llmdevops_agent_steps_total", "label": "agent"]) == Double(count))

        // Every family stays far under the per-metric cap, and the whole registry stays small.
        let perFamily = exposition.samples.filter { $0.name == "llmdevops_registry_series" }
        #expect(!perFamily.isEmpty)
        for family in perFamily {
            #expect(family.value <= 20, "\(family.labels) holds \(family.value) series")
        }
        #expect(perFamily.reduce(0) { $0 + $1.value } < 100)
    }
}
