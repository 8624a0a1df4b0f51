import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

/// L11 `llmdevops_llm_cost_usd_total`: by model, and by team from a capped allow-list when one
/// is configured (METRICS-CATALOG.md §3 and §6).
@Suite struct CostByTeamTests {
    static func configuration(teams: [String]) -> CollectorsConfiguration {
        var configuration = eventOnlyConfiguration(models: [])
        configuration.llm.models = [LLMModel("gpt-4o", provider: "openai", price: LLMPrice(inputPerMillion: 2, outputPerMillion: 8))]
        configuration.llm.teams = teams
        return configuration
    }

    @Test func costIsChargedToConfiguredTeamsAndOtherwiseToOther() async throws {
        try await withRunningCollectors(Self.configuration(teams: ["search", "support"])) { metrics in
            // 1M input tokens at $2 plus 1M output tokens at $8: $10 a request.
            for team in ["search", "search", "support", "billing", nil] as [String?] {
                await metrics.llm.recordRequest(
                    model: "gpt-4o", status: .success, duration: .seconds(1),
                    inputTokens: 1_000_000, outputTokens: 1_000_000, team: team)
            }
            await metrics.flush()
            let registry = metrics.registry
            try await registry.expectSample("llmdevops_llm_cost_usd_total", labels: ["model": "gpt-4o", "team": "search"], value: 20)
            try await registry.expectSample("llmdevops_llm_cost_usd_total", labels: ["model": "gpt-4o", "team": "support"], value: 10)
            // An unknown team and no team both land in `other`; only the unknown one is overflow.
            try await registry.expectSample("llmdevops_llm_cost_usd_total", labels: ["model": "gpt-4o", "team": "other"], value: 20)
            try await registry.expectSample(
                "llmdevops_collector_label_overflow_total",
                labels: ["metric": "llmdevops_llm_cost_usd_total", "label": "team"], value: 1)
            #expect(try await registry.sampleValue("llmdevops_llm_cost_usd_total", labels: ["model": "gpt-4o", "team": "billing"]) == nil)
        }
    }

    @Test func withoutTeamsTheCostHasOnlyAModelLabel() async throws {
        try await withRunningCollectors(Self.configuration(teams: [])) { metrics in
            await metrics.llm.recordRequest(
                model: "gpt-4o", status: .success, duration: .seconds(1),
                inputTokens: 1_000_000, outputTokens: 1_000_000, team: "search")
            await metrics.flush()
            try await metrics.registry.expectSample("llmdevops_llm_cost_usd_total", labels: ["model": "gpt-4o"], value: 10)
        }
    }
}
