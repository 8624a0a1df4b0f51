import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

/// `MetricsCollectors.reload(_:)`: the vocabulary changes while the collectors run; series that
/// exist keep their values, and changes that would alter a family's labels are only reported.
@Suite struct MetricsCollectorsReloadTests {
    static let requests = "llmdevops_llm_requests_total"
    static let cost = "llmdevops_llm_cost_usd_total"
    static let overflow = "llmdevops_collector_label_overflow_total"

    static func model(_ name: String, input: Double = 1, output: Double = 2) -> LLMModel {
        LLMModel(name, provider: "test", price: LLMPrice(inputPerMillion: input, outputPerMillion: output))
    }

    static func request(_ metrics: MetricsCollectors, _ model: String, input: Int = 1000, output: Int = 100) async {
        await metrics.llm.recordRequest(
            model: model,
            status: .success,
            duration: .milliseconds(5),
            inputTokens: input,
            outputTokens: output
        )
    }

    @Test func addedAndRemovedModelsAndChangedPrices() async throws {
        var configuration = eventOnlyConfiguration(models: [])
        configuration.llm.models = [Self.model("alpha"), Self.model("beta")]
        try await withRunningCollectors(configuration) { metrics in
            await Self.request(metrics, "alpha")
            await Self.request(metrics, "beta")
            await Self.request(metrics, "gamma")
            await metrics.flush()
            let before = try await metrics.registry.parsedExposition()

            var next = metrics.configuration
            next.llm.models = [Self.model("alpha", input: 3, output: 4), Self.model("gamma")]
            let restart = try await metrics.reload(next)
            #expect(restart == [])
            #expect(metrics.configuration.llm.models.map(\.name) == ["alpha", "gamma"])
            let reloaded = try await metrics.registry.parsedExposition()
            // The added model's info series is there at once; nothing else changed.
            #expect(reloaded.labelValues("llmdevops_llm_model_info", "model") == ["alpha", "beta", "gamma"])
            for sample in before.samples where sample.name.hasPrefix("llmdevops_llm_") {
                #expect(
                    reloaded.sample(named: sample.name, labels: sample.labels)?.value == sample.value,
                    "\(sample.name)"
                )
            }

            await Self.request(metrics, "alpha")
            await Self.request(metrics, "beta")
            await Self.request(metrics, "gamma")
            await metrics.flush()
            let after = try await metrics.registry.parsedExposition()
            #expect(after.value(Self.requests, ["model": "alpha", "status": "success"]) == 2)
            // The price change applies to the event after the reload only.
            let beforeReload: Double = (1000 * 1 + 100 * 2) / 1e6
            let afterReload: Double = (1000 * 3 + 100 * 4) / 1e6
            #expect(after.value(Self.cost, ["model": "alpha"]) == beforeReload + afterReload)
            // beta keeps its series and value; its new event folds into other.
            #expect(after.value(Self.requests, ["model": "beta", "status": "success"]) == 1)
            #expect(after.value(Self.requests, ["model": "gamma", "status": "success"]) == 1)
            #expect(after.value(Self.requests, ["model": "other", "status": "success"]) == 2)
            #expect(after.value(Self.overflow, ["metric": Self.requests, "label": "model"]) == 2)
        }
    }

    @Test func admittedNamesCarryOverAgainstTheNewCap() async throws {
        var configuration = eventOnlyConfiguration(models: ["listed"])
        configuration.llm.admitUnlistedModels = 3
        try await withRunningCollectors(configuration) { metrics in
            for name in ["x", "y", "z"] { await Self.request(metrics, name) }
            var next = metrics.configuration
            next.llm.models.append(Self.model("y"))  // y is listed now: it no longer uses admission room
            next.llm.admitUnlistedModels = 1
            let restart = try await metrics.reload(next)
            #expect(restart == [])
            for name in ["x", "y", "z", "w"] { await Self.request(metrics, name) }
            await metrics.flush()
            let exposition = try await metrics.registry.parsedExposition()
            // x carried over (the first admitted); z and the new w do not fit the cap of 1.
            #expect(exposition.value(Self.requests, ["model": "x", "status": "success"]) == 2)
            #expect(exposition.value(Self.requests, ["model": "y", "status": "success"]) == 2)
            #expect(exposition.value(Self.requests, ["model": "z", "status": "success"]) == 1)
            #expect(exposition.value(Self.requests, ["model": "other", "status": "success"]) == 2)
        }
    }

    @Test func changesThatAlterLabelsAreReportedNotApplied() async throws {
        var configuration = eventOnlyConfiguration(models: ["a"])
        configuration.agent.agents = [AgentDefinition("router")]
        try await withRunningCollectors(configuration) { metrics in
            var next = metrics.configuration
            next.llm.teams = ["search"]
            next.llm.exportsQueueDuration = true
            next.agent.isEnabled = false
            next.maxSeriesPerMetric = 10
            next.llm.models.append(Self.model("b"))
            let restart = try await metrics.reload(next)
            #expect(restart == ["agent.isEnabled", "llm.exportsQueueDuration", "llm.teams", "maxSeriesPerMetric"])
            // The rest applied: b is listed, the teams are not, and the agent collector still runs.
            #expect(metrics.configuration.llm.models.map(\.name) == ["a", "b"])
            #expect(metrics.configuration.llm.teams.isEmpty)
            #expect(metrics.configuration.agent.isEnabled)
            await Self.request(metrics, "b")
            await metrics.agent.recordStep(agent: "router", type: .plan)
            await metrics.flush()
            let exposition = try await metrics.registry.parsedExposition()
            #expect(exposition.value(Self.requests, ["model": "b", "status": "success"]) == 1)
            #expect(exposition.labelValues(Self.cost, "team").isEmpty)
            #expect(exposition.value("llmdevops_agent_steps_total", ["agent": "router", "step_type": "plan"]) == 1)
        }
    }

    @Test func anInvalidReloadChangesNothing() async throws {
        try await withRunningCollectors(eventOnlyConfiguration(models: ["a"])) { metrics in
            var next = metrics.configuration
            next.llm.models = [Self.model("b"), LLMModel("other", provider: "x")]
            do {
                try await metrics.reload(next)
                Issue.record("a reserved model name must be refused")
            } catch let error as CollectorsError {
                #expect(error.key == "llm.models[1].name")
            }
            #expect(metrics.configuration.llm.models.map(\.name) == ["a"])
            await Self.request(metrics, "b")
            await metrics.flush()
            let exposition = try await metrics.registry.parsedExposition()
            #expect(exposition.labelValues(Self.requests, "model") == ["other"])
        }
    }

    @Test func agentVocabularyReloads() async throws {
        var configuration = eventOnlyConfiguration(models: [], agents: [AgentDefinition("router", tools: ["search"])])
        configuration.agent.guardrails = ["pii"]
        try await withRunningCollectors(configuration) { metrics in
            await metrics.agent.recordToolCall(agent: "router", tool: "ticket", duration: .milliseconds(1))
            var next = metrics.configuration
            next.agent.agents = [AgentDefinition("router", tools: ["search", "ticket"]), AgentDefinition("billing")]
            next.agent.guardrails = ["pii", "toxicity"]
            let restart = try await metrics.reload(next)
            #expect(restart == [])
            await metrics.agent.recordToolCall(agent: "router", tool: "ticket", duration: .milliseconds(1))
            await metrics.agent.recordStep(agent: "billing", type: .plan)
            await metrics.agent.recordGuardrailTrigger(agent: "billing", guardrail: "toxicity")
            await metrics.flush()
            let exposition = try await metrics.registry.parsedExposition()
            let toolCalls = "llmdevops_agent_tool_calls_total"
            #expect(exposition.value(toolCalls, ["agent": "router", "tool": "_unknown"]) == 1)
            #expect(exposition.value(toolCalls, ["agent": "router", "tool": "ticket"]) == 1)
            #expect(exposition.value("llmdevops_agent_steps_total", ["agent": "billing", "step_type": "plan"]) == 1)
            #expect(
                exposition.value(
                    "llmdevops_agent_guardrail_triggers_total",
                    ["agent": "billing", "guardrail": "toxicity"]
                ) == 1
            )
        }
    }

    /// Two producers record while the vocabulary changes 40 times (a model added and removed,
    /// prices changed): every event is applied exactly once, by one generation or the other.
    @Test func reloadsUnderConcurrentProducersLoseNothing() async throws {
        let perProducer = 40_000
        var configuration = eventOnlyConfiguration(models: ["a", "b"])
        configuration.llm.admitUnlistedModels = 2
        try await withRunningCollectors(configuration) { metrics in
            await withTaskGroup(of: Void.self) { group in
                for producer in 0..<2 {
                    group.addTask {
                        let names = ["a", "b", "c", "new-\(producer)"]
                        for index in 0..<perProducer {
                            await Self.request(metrics, names[index & 3], input: 10, output: 1)
                        }
                    }
                }
                group.addTask {
                    for round in 0..<40 {
                        var next = metrics.configuration
                        next.llm.models = [Self.model("a", input: Double(round % 3 + 1)), Self.model("b")]
                        if round.isMultiple(of: 2) { next.llm.models.append(Self.model("c")) }
                        _ = try? await metrics.reload(next)
                        await Task.yield()
                    }
                }
            }
            await metrics.flush()
            let exposition = try await metrics.registry.parsedExposition()
            let events = Double(2 * perProducer)
            #expect(exposition.sum(Self.requests) == events)
            #expect(exposition.sum("llmdevops_llm_tokens_total", matching: ["type": "input"]) == events * 10)
            #expect(exposition.sum("llmdevops_llm_request_duration_seconds_count") == events)
            #expect(exposition.sum("llmdevops_collector_events_dropped_total") == 0)
            #expect(exposition.sum("llmdevops_collector_events_total", matching: ["collector": "llm"]) == events)
        }
    }

    @Test func theNumberOfGenerationsIsBounded() async throws {
        try await withRunningCollectors(eventOnlyConfiguration(models: ["a"])) { metrics in
            // The first applier plus 99 reloads with a changed price.
            for round in 1..<100 {
                var next = metrics.configuration
                next.llm.models = [Self.model("a", input: Double(round) + 0.5)]
                let restart = try await metrics.reload(next)
                #expect(restart == [], "reload \(round)")
            }
            var next = metrics.configuration
            next.llm.models = [Self.model("a", input: 1000)]
            let refused = try await metrics.reload(next)
            #expect(refused == ["llm"])
            #expect(metrics.configuration.llm.models.first?.price?.inputPerMillion == 99.5)
            // A reload that changes nothing is no new generation and needs no restart.
            let unchanged = try await metrics.reload(metrics.configuration)
            #expect(unchanged == [])
        }
    }
}
