import LLMDevOpsTestSupport
import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

/// N concurrent producers × M events, then `flush()`: every counter equals the test's own tally
/// and the correctness oracles of METRICS-CATALOG.md §8 hold.
@Suite struct PipelineExactnessTests {
    static let models = ["m0", "m1", "m2", "m3", "m4"]
    static let agents = [AgentDefinition("a0", tools: ["t0", "t1"]), AgentDefinition("a1", tools: ["t1", "t2"])]
    static let statuses = LLMRequestStatus.allCases

    /// What one producer emitted, keyed by the label values the collector should export.
    struct Tally: Sendable {
        var llmEvents = 0
        var agentEvents = 0
        var requests: [String: Int] = [:]  // "model|status"
        var input: [String: Int] = [:]
        var output: [String: Int] = [:]
        var cacheRead: [String: Int] = [:]
        var streamedSuccesses: [String: Int] = [:]
        var toolCalls: [String: Int] = [:]  // "agent|tool"
        var runs: [String: Int] = [:]
        var unknownTools: [String: Int] = [:]
        var overflowModels = 0

        mutating func merge(_ other: Tally) {
            llmEvents += other.llmEvents
            agentEvents += other.agentEvents
            overflowModels += other.overflowModels
            requests.merge(other.requests, uniquingKeysWith: +)
            input.merge(other.input, uniquingKeysWith: +)
            output.merge(other.output, uniquingKeysWith: +)
            cacheRead.merge(other.cacheRead, uniquingKeysWith: +)
            streamedSuccesses.merge(other.streamedSuccesses, uniquingKeysWith: +)
            toolCalls.merge(other.toolCalls, uniquingKeysWith: +)
            runs.merge(other.runs, uniquingKeysWith: +)
            unknownTools.merge(other.unknownTools, uniquingKeysWith: +)
        }
    }

    static func produce(seed: UInt64, events: Int, metrics: MetricsCollectors) async -> Tally {
        var random = TestRandom(seed: seed)
        var tally = Tally()
        while tally.llmEvents + tally.agentEvents < events {
            if Int.random(in: 0..<4, using: &random) < 3 {
                let raw = Int.random(in: 0..<12, using: &random)
                let name = raw < models.count ? models[raw % models.count] : (raw == 11 ? "rogue-\(seed)" : models[raw % 5])
                let model = name.hasPrefix("rogue") ? "other" : name
                let status = statuses[Int.random(in: 0..<statuses.count, using: &random)]
                let input = Int.random(in: 0..<5000, using: &random)
                let output = Int.random(in: 0..<800, using: &random)
                let cached = Int.random(in: 0...input, using: &random)
                let streamed = Bool.random(using: &random)
                let announced = Bool.random(using: &random)
                if announced {
                    await metrics.llm.recordRequestStarted(model: name)
                    tally.llmEvents += 1
                    if model == "other" { tally.overflowModels += 1 }
                }
                await metrics.llm.recordRequest(
                    model: name, status: status, duration: .milliseconds(Int.random(in: 10...9000, using: &random)),
                    inputTokens: input, outputTokens: output,
                    timeToFirstToken: streamed ? .milliseconds(Int.random(in: 1...900, using: &random)) : nil,
                    cacheReadTokens: cached, wasStarted: announced)
                tally.llmEvents += 1
                if model == "other" { tally.overflowModels += 1 }
                tally.requests["\(model)|\(status.rawValue)", default: 0] += 1
                tally.input[model, default: 0] += input
                tally.output[model, default: 0] += output
                tally.cacheRead[model, default: 0] += cached
                if streamed, status == .success { tally.streamedSuccesses[model, default: 0] += 1 }
            } else {
                let agent = agents[Int.random(in: 0..<agents.count, using: &random)]
                await metrics.agent.recordExecutionStarted(agent: agent.name)
                let calls = Int.random(in: 0...5, using: &random)
                for _ in 0..<calls {
                    let tool = ["t0", "t1", "t2"][Int.random(in: 0..<3, using: &random)]
                    let label = agent.tools.contains(tool) ? tool : "_unknown"
                    if label == "_unknown" { tally.unknownTools[agent.name, default: 0] += 1 }
                    await metrics.agent.recordToolCall(
                        agent: agent.name, tool: tool, duration: .milliseconds(Int.random(in: 1...4000, using: &random)))
                    tally.toolCalls["\(agent.name)|\(label)", default: 0] += 1
                }
                await metrics.agent.recordExecution(
                    agent: agent.name, status: .success, duration: .seconds(Int.random(in: 1...300, using: &random)),
                    llmCalls: 1, toolCalls: calls, wasStarted: true)
                tally.agentEvents += calls + 2
                tally.runs[agent.name, default: 0] += 1
            }
        }
        return tally
    }

    @Test(arguments: [(producers: 8, events: 2500), (producers: 2, events: 10_000)])
    func concurrentProducersAreAppliedExactly(producers: Int, events: Int) async throws {
        let configuration = eventOnlyConfiguration(models: Self.models, agents: Self.agents)
        let (tally, exposition) = try await withRunningCollectors(configuration) { metrics in
            let tally = await withTaskGroup(of: Tally.self) { group in
                for producer in 0..<producers {
                    group.addTask { await Self.produce(seed: UInt64(producer + 1), events: events, metrics: metrics) }
                }
                var total = Tally()
                for await part in group { total.merge(part) }
                return total
            }
            await metrics.flush()
            return (tally, try await metrics.registry.parsedExposition(.openMetrics))
        }

        // Pipeline self-metrics: every event counted, none dropped.
        #expect(exposition.value("llmdevops_collector_events_total", ["collector": "llm"]) == Double(tally.llmEvents))
        #expect(exposition.value("llmdevops_collector_events_total", ["collector": "agent"]) == Double(tally.agentEvents))
        #expect(exposition.value("llmdevops_collector_events_dropped_total", ["collector": "llm"]) == 0)
        #expect(exposition.value("llmdevops_collector_events_dropped_total", ["collector": "agent"]) == 0)
        #expect(
            exposition.value("llmdevops_collector_label_overflow_total", ["metric": "llmdevops_llm_requests_total", "label": "model"])
                + exposition.value(
                    "llmdevops_collector_label_overflow_total", ["metric": "llmdevops_llm_requests_in_flight", "label": "model"])
                == Double(tally.overflowModels))

        // L1 per model and status, and Σ L1 = finished requests = Σ L10.
        let finished = tally.requests.values.reduce(0, +)
        for model in Self.models + ["other"] {
            for status in Self.statuses {
                #expect(
                    exposition.value("llmdevops_llm_requests_total", ["model": model, "status": status.rawValue])
                        == Double(tally.requests["\(model)|\(status.rawValue)"] ?? 0), "L1 \(model) \(status)")
            }
            // L2 = Σ tokens emitted; L6 matches and stays <= L2; L4 _count = streamed successes; L8 back to 0.
            let input = exposition.value("llmdevops_llm_tokens_total", ["model": model, "type": "input"])
            #expect(input == Double(tally.input[model] ?? 0), "L2 input \(model)")
            #expect(
                exposition.value("llmdevops_llm_tokens_total", ["model": model, "type": "output"]) == Double(tally.output[model] ?? 0))
            let cached = exposition.value("llmdevops_llm_token_details_total", ["model": model, "type": "cache_read"])
            #expect(cached == Double(tally.cacheRead[model] ?? 0), "L6 \(model)")
            #expect(exposition.sum("llmdevops_llm_token_details_total", matching: ["model": model]) <= exposition.sum("llmdevops_llm_tokens_total", matching: ["model": model]))
            #expect(
                exposition.value("llmdevops_llm_time_to_first_token_seconds_count", ["model": model])
                    == Double(tally.streamedSuccesses[model] ?? 0), "L4 count \(model)")
            #expect(exposition.value("llmdevops_llm_requests_in_flight", ["model": model]) == 0)
        }
        #expect(exposition.sum("llmdevops_llm_requests_total") == Double(finished))
        #expect(exposition.sum("llmdevops_llm_finish_reasons_total") == Double(finished))
        #expect(exposition.sum("llmdevops_llm_request_duration_seconds_count") == Double(finished))

        // A3 per agent and tool; Σ A3 = tool-call events; A8 _sum = Σ A3 per agent; A16 = unknown calls.
        let toolCallEvents = tally.toolCalls.values.reduce(0, +)
        #expect(exposition.sum("llmdevops_agent_tool_calls_total") == Double(toolCallEvents))
        for agent in Self.agents.map(\.name) {
            for tool in ["t0", "t1", "t2", "_unknown"] {
                #expect(
                    exposition.value("llmdevops_agent_tool_calls_total", ["agent": agent, "tool": tool])
                        == Double(tally.toolCalls["\(agent)|\(tool)"] ?? 0), "A3 \(agent) \(tool)")
            }
            #expect(
                exposition.value("llmdevops_agent_tool_calls_per_execution_sum", ["agent": agent])
                    == exposition.sum("llmdevops_agent_tool_calls_total", matching: ["agent": agent]))
            #expect(exposition.value("llmdevops_agent_executions_total", ["agent": agent, "status": "success"]) == Double(tally.runs[agent] ?? 0))
            #expect(exposition.value("llmdevops_agent_unknown_tool_calls_total", ["agent": agent]) == Double(tally.unknownTools[agent] ?? 0))
            #expect(exposition.value("llmdevops_agent_executions_in_flight", ["agent": agent]) == 0)
        }
        // A7 _sum (one model call per run here) <= Σ L1.
        #expect(exposition.sum("llmdevops_agent_llm_calls_per_execution_sum") <= Double(finished))
    }
}
