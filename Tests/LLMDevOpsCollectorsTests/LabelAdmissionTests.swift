import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

/// Admission of names nobody listed (issue 12): the first N distinct names get their own
/// series, later ones fold into `other` / `_unknown` and are counted; names that look like
/// secrets are never admitted.
@Suite struct LabelAdmissionTests {
    static let requests = "llmdevops_llm_requests_total"
    static let overflow = "llmdevops_collector_label_overflow_total"

    @Test func thousandUnlistedModelsWithACapOfTwentyAdmitTwenty() async throws {
        var configuration = eventOnlyConfiguration(models: ["gpt-4o"])
        configuration.llm.admitUnlistedModels = 20
        let names = (0..<1000).map { "vendor-model-\($0)" }
        let exposition = try await withRunningCollectors(configuration) { metrics in
            for name in names {
                await metrics.llm.recordRequest(
                    model: name,
                    status: .success,
                    duration: .milliseconds(10),
                    inputTokens: 3,
                    outputTokens: 2
                )
            }
            // Admitted names stay admitted: a second event for each of them is not overflow.
            for name in names.prefix(20) {
                await metrics.llm.recordRequest(model: name, status: .success, duration: .milliseconds(10))
            }
            await metrics.flush()
            return try await metrics.registry.parsedExposition()
        }
        let admitted = Set(names.prefix(20))
        #expect(exposition.labelValues(Self.requests, "model") == admitted.union(["other"]))
        #expect(exposition.labelValues("llmdevops_llm_tokens_total", "model") == admitted.union(["other"]))
        for name in admitted {
            #expect(exposition.value(Self.requests, ["model": name, "status": "success"]) == 2, "\(name)")
        }
        #expect(exposition.value(Self.requests, ["model": "other", "status": "success"]) == 980)
        #expect(exposition.value(Self.overflow, ["metric": Self.requests, "label": "model"]) == 980)
        #expect(exposition.sum(Self.requests) == 1020)
        // Admitted models have no info series: the provider is not known.
        #expect(exposition.labelValues("llmdevops_llm_model_info", "model") == ["gpt-4o"])
    }

    @Test func concurrentProducersAdmitExactlyTheCap() async throws {
        var configuration = eventOnlyConfiguration(models: [])
        configuration.llm.admitUnlistedModels = 20
        let exposition = try await withRunningCollectors(configuration) { metrics in
            await withTaskGroup(of: Void.self) { group in
                for producer in 0..<4 {
                    group.addTask {
                        for index in 0..<250 {
                            await metrics.llm.recordRequest(
                                model: "m-\(producer)-\(index)",
                                status: .success,
                                duration: .milliseconds(1)
                            )
                        }
                    }
                }
            }
            await metrics.flush()
            return try await metrics.registry.parsedExposition()
        }
        let labels = exposition.labelValues(Self.requests, "model")
        #expect(labels.count == 21)
        #expect(labels.contains("other"))
        #expect(exposition.value(Self.requests, ["model": "other", "status": "success"]) == 980)
        #expect(exposition.value(Self.overflow, ["metric": Self.requests, "label": "model"]) == 980)
    }

    @Test func namesThatMustNotBeLabelValuesAreNeverAdmitted() async throws {
        var configuration = eventOnlyConfiguration(models: [])
        configuration.llm.admitUnlistedModels = 10
        let refused = [
            "sk-proj-Q3vN8xT2LmZ0pR7aW4kY1bC6dE9fG5hJ",  // an API key
            "oncall.person@example.com",  // an e-mail address
            String(repeating: "m", count: 129),  // longer than 128 bytes
            "model\nwith-newline",  // control character
            "other",  // the fallback itself
        ]
        let exposition = try await withRunningCollectors(configuration) { metrics in
            for name in refused {
                await metrics.llm.recordRequest(model: name, status: .success, duration: .milliseconds(1))
            }
            await metrics.llm.recordRequest(model: "fine-model", status: .success, duration: .milliseconds(1))
            await metrics.flush()
            return try await metrics.registry.parsedExposition()
        }
        #expect(exposition.labelValues(Self.requests, "model") == ["other", "fine-model"])
        #expect(exposition.value(Self.requests, ["model": "other", "status": "success"]) == Double(refused.count))
        #expect(exposition.value(Self.overflow, ["metric": Self.requests, "label": "model"]) == Double(refused.count))
    }

    @Test func agentsAndToolsAreAdmittedPerAgent() async throws {
        var configuration = eventOnlyConfiguration(models: [], agents: [AgentDefinition("router", tools: ["search"])])
        configuration.agent.admitUnlistedAgents = 2
        configuration.agent.admitUnlistedTools = 2
        let toolCalls = "llmdevops_agent_tool_calls_total"
        let exposition = try await withRunningCollectors(configuration) { metrics in
            for tool in ["t1", "t2", "t3", "t1"] {
                await metrics.agent.recordToolCall(agent: "router", tool: tool, duration: .milliseconds(1))
            }
            for agent in ["a1", "a2", "a3"] {
                await metrics.agent.recordStep(agent: agent, type: .plan)
            }
            // `search` is registered to router, not to a1: a1 admits it (one tool label value).
            await metrics.agent.recordToolCall(agent: "a1", tool: "search", duration: .milliseconds(1))
            await metrics.agent.recordToolCall(agent: "a1", tool: "t1", duration: .milliseconds(1))
            await metrics.agent.recordToolCall(agent: "a1", tool: "t9", duration: .milliseconds(1))
            // The fallback agent admits no tools.
            await metrics.agent.recordToolCall(agent: "a3", tool: "t1", duration: .milliseconds(1))
            await metrics.flush()
            return try await metrics.registry.parsedExposition()
        }
        #expect(exposition.value(toolCalls, ["agent": "router", "tool": "t1"]) == 2)
        #expect(exposition.value(toolCalls, ["agent": "router", "tool": "t2"]) == 1)
        #expect(exposition.value(toolCalls, ["agent": "router", "tool": "_unknown"]) == 1)
        #expect(exposition.labelValues("llmdevops_agent_steps_total", "agent") == ["a1", "a2", "other"])
        #expect(exposition.value(toolCalls, ["agent": "a1", "tool": "search"]) == 1)
        #expect(exposition.value(toolCalls, ["agent": "a1", "tool": "t1"]) == 1)
        #expect(exposition.value(toolCalls, ["agent": "a1", "tool": "_unknown"]) == 1)
        #expect(exposition.value(toolCalls, ["agent": "other", "tool": "_unknown"]) == 1)
        // `t1` is one tool label value for both agents; its duration histogram has 3 calls.
        #expect(exposition.value("llmdevops_agent_tool_call_duration_seconds_count", ["tool": "t1"]) == 3)
        #expect(exposition.value("llmdevops_agent_unknown_tool_calls_total", ["agent": "router"]) == 1)
        #expect(exposition.value("llmdevops_agent_unknown_tool_calls_total", ["agent": "a1"]) == 1)
        #expect(exposition.value(Self.overflow, ["metric": toolCalls, "label": "tool"]) == 3)
        #expect(exposition.value(Self.overflow, ["metric": "llmdevops_agent_steps_total", "label": "agent"]) == 1)
        #expect(exposition.value(Self.overflow, ["metric": toolCalls, "label": "agent"]) == 1)
    }

    @Test(arguments: [
        (-1, "llm.admitUnlistedModels"), (1001, "llm.admitUnlistedModels"),
    ])
    func admissionCapsAreBounded(cap: Int, key: String) async throws {
        var configuration = eventOnlyConfiguration(models: [])
        configuration.llm.admitUnlistedModels = cap
        #expect(throws: CollectorsError.self) { try configuration.validate() }
        do {
            try configuration.validate()
        } catch {
            #expect(error.key == key)
        }
    }

    @Test func toolAdmissionRoomIsBounded() throws {
        var configuration = eventOnlyConfiguration(models: [], agents: (0..<200).map { AgentDefinition("agent-\($0)") })
        configuration.agent.admitUnlistedTools = 51
        do {
            try configuration.validate()
            Issue.record("200 agents x 51 admitted tools must exceed the pair bound")
        } catch {
            #expect(error.key == "agent.admitUnlistedTools")
        }
        configuration.agent.admitUnlistedTools = 50
        try configuration.validate()
    }
}
