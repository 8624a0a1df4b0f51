import Foundation
import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import LLMDevOpsTestSupport
import Testing

@Suite(.timeLimit(minutes: 2)) struct SyntheticWorkloadTests {
    @Test func demoWorkloadExpositionIsValidAndReconciles() async throws {
        var configuration = SyntheticWorkload.configuration()
        configuration.runtime = RuntimeCollectorConfiguration(version: "0.1.0", revision: "test")
        let workload = SyntheticWorkload(seed: 7, novelModelRate: 0.01, novelToolRate: 0.005)
        let (summary, openMetrics, text, parsed) = try await withRunningCollectors(configuration) { metrics in
            let summary = await workload.run(llm: metrics.llm, agent: metrics.agent, events: 40_000)
            await metrics.flush()
            let registry = metrics.registry
            return (
                summary, await registry.render(.openMetrics), await registry.render(.prometheusText),
                try await registry.parsedExposition(.openMetrics)
            )
        }
        #expect(summary.events >= 40_000)

        // The oracles of METRICS-CATALOG.md §8 on realistic traffic.
        #expect(parsed.sum("llmdevops_llm_requests_total") == Double(summary.llmRequests))
        #expect(parsed.sum("llmdevops_llm_tokens_total", matching: ["type": "input"]) == Double(summary.inputTokens))
        for model in parsed.labelValues("llmdevops_llm_tokens_total", "model") {
            #expect(
                parsed.sum("llmdevops_llm_token_details_total", matching: ["model": model])
                    <= parsed.sum("llmdevops_llm_tokens_total", matching: ["model": model]))
        }
        #expect(parsed.sum("llmdevops_llm_time_to_first_token_seconds_count") == Double(summary.streamedSuccesses))
        #expect(parsed.sum("llmdevops_agent_tool_calls_total") == Double(summary.toolCalls))
        #expect(parsed.sum("llmdevops_agent_tool_calls_per_execution_sum") == parsed.sum("llmdevops_agent_tool_calls_total"))
        #expect(parsed.sum("llmdevops_agent_llm_calls_per_execution_sum") <= parsed.sum("llmdevops_llm_requests_total"))
        #expect(parsed.sum("llmdevops_agent_executions_total") == Double(summary.agentRuns))
        #expect(parsed.sum("llmdevops_collector_events_total") == Double(summary.events))
        #expect(parsed.sum("llmdevops_collector_events_dropped_total") == 0)
        // Adversarial names folded and counted, never exported.
        #expect(parsed.value("llmdevops_collector_label_overflow_total", ["metric": "llmdevops_llm_requests_total", "label": "model"]) > 0)
        #expect(parsed.labelValues("llmdevops_llm_requests_total", "model").allSatisfy { !$0.hasPrefix("novel") })
        #expect(parsed.labelValues("llmdevops_agent_tool_calls_total", "tool").allSatisfy { !$0.hasPrefix("novel") })
        // Every family the catalog builds first is present.
        for family in [
            "llmdevops_llm_requests", "llmdevops_llm_tokens", "llmdevops_llm_request_duration_seconds",
            "llmdevops_llm_time_to_first_token_seconds", "llmdevops_llm_time_per_output_token_seconds",
            "llmdevops_llm_requests_in_flight", "llmdevops_llm_request_errors", "llmdevops_llm_finish_reasons",
            "llmdevops_llm_cost_usd", "llmdevops_agent_executions", "llmdevops_agent_steps", "llmdevops_agent_tool_calls",
            "llmdevops_agent_tool_call_errors", "llmdevops_agent_tool_call_duration_seconds",
            "llmdevops_agent_execution_duration_seconds", "llmdevops_agent_llm_calls_per_execution",
            "llmdevops_agent_tool_calls_per_execution", "llmdevops_agent_executions_in_flight", "process_cpu_seconds",
            "swift",
        ] {
            #expect(parsed.family(named: family)?.samples.isEmpty == false, "\(family) missing or empty")
        }

        // Independent validators: promtool on text 0.0.4, the Python client on OpenMetrics.
        if ExternalValidator.promtoolAvailable {
            let outcome = try await ExternalValidator.promtoolCheck(text)
            #expect(outcome.exitCode == 0, "promtool: \(outcome.output.prefix(2000))")
        } else if ExternalValidator.toolsRequired {
            Issue.record("promtool is required but missing")
        }
        if ExternalValidator.pythonClientAvailable {
            let outcome = try await ExternalValidator.pythonOpenMetricsParse(openMetrics)
            #expect(outcome.exitCode == 0, "python: \(outcome.output.prefix(2000))")
            #expect(Int(outcome.output.trimmingCharacters(in: .whitespacesAndNewlines)) == parsed.samples.count)
        } else if ExternalValidator.toolsRequired {
            Issue.record("python3 with prometheus_client is required but missing")
        }
    }

    @Test func theSameSeedEmitsTheSameEvents() async throws {
        let configuration = eventOnlyConfiguration(models: [])
        let first = try await withRunningCollectors(configuration) { metrics in
            await SyntheticWorkload(seed: 99).run(llm: metrics.llm, agent: metrics.agent, events: 5000)
        }
        let second = try await withRunningCollectors(configuration) { metrics in
            await SyntheticWorkload(seed: 99).run(llm: metrics.llm, agent: metrics.agent, events: 5000)
        }
        #expect(first == second)
        #expect(first.agentRuns > 0 && first.toolCalls > 0)
    }
}
