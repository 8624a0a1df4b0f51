import LLMDevOpsMetrics

/// Synthetic LLM and agent traffic with realistic shapes, driven through the public
/// recording API, for demos, benchmarks and soak tests.
///
/// Label universe: 20 models of 5 providers (4 reasoning models, 12 with prompt caching), 50
/// agents bound to 6–10 of 30 tools, 10 guardrails, fallback chains per provider. Model
/// popularity is Zipf(1.1), agent popularity Zipf(1.0); statuses, tokens, latencies and
/// finish reasons follow fixed mixes. Agent runs make geometric(mean 4, cap 10) model calls,
/// which also go through the LLM collector, and about 3 tool calls. The same seed emits the
/// same events.
///
/// ```swift
/// let workload = SyntheticWorkload(seed: 42)
/// let metrics = try await MetricsCollectors(configuration: SyntheticWorkload.configuration(), logger: logger)
/// let summary = await workload.run(llm: metrics.llm, agent: metrics.agent, events: 100_000)
/// ```
public struct SyntheticWorkload: Sendable {
    /// The seed of the event sequence.
    public let seed: UInt64
    /// Share of LLM requests that use a model name outside the allow-list (the adversarial profile uses 0.01).
    public var novelModelRate: Double
    /// Share of tool calls that use a tool name not registered to the agent (adversarial: 0.005).
    public var novelToolRate: Double

    /// Creates a workload.
    public init(seed: UInt64 = 42, novelModelRate: Double = 0, novelToolRate: Double = 0) {
        self.seed = seed
        self.novelModelRate = novelModelRate
        self.novelToolRate = novelToolRate
    }

    static let providers = ["openai", "anthropic", "google", "meta", "mistral"]
    /// Model `i` belongs to provider `i / 4`; models 3, 7, 11, 15 reason; the first 12 cache.
    static let models: [String] = (0..<20).map { "model-\(providers[$0 / 4])-\($0 % 4 + 1)" }
    static let tools: [String] = (0..<30).map { "tool_\($0 + 1)" }
    static let agents: [String] = (0..<50).map { $0 < 10 ? "router-\($0 + 1)" : "specialist-\($0 - 9)" }
    static let guardrails: [String] = (0..<10).map { "guardrail_\($0 + 1)" }

    static func isReasoning(_ model: Int) -> Bool { model % 4 == 3 }
    static func cachesPrompts(_ model: Int) -> Bool { model < 12 }

    /// Tools bound to agent `index`: 6–10 consecutive tools, deterministic.
    static func tools(forAgent index: Int) -> [String] {
        let count = 6 + index % 5
        return (0..<count).map { tools[(index * 7 + $0) % tools.count] }
    }

    /// A collectors configuration with this workload's label universe and prices.
    public static func configuration() -> CollectorsConfiguration {
        var configuration = CollectorsConfiguration()
        configuration.llm.models = models.enumerated().map { index, name in
            let tier = Double(index % 4 + 1)
            return LLMModel(
                name, provider: providers[index / 4], family: String(name.dropLast(2)),
                price: LLMPrice(
                    inputPerMillion: 0.5 * tier, outputPerMillion: 2 * tier,
                    cacheReadPerMillion: cachesPrompts(index) ? 0.25 * tier : nil))
        }
        configuration.llm.fallbackChains = (0..<5).map { provider in (0..<4).map { models[provider * 4 + $0] } }
        configuration.agent.agents = agents.indices.map { AgentDefinition(agents[$0], tools: tools(forAgent: $0)) }
        configuration.agent.guardrails = guardrails
        return configuration
    }

    /// Emits events until `events` record calls have been made (a run in progress may finish
    /// slightly past the bound) and returns what was emitted. Does not flush.
    public func run(llm: some LLMEventRecording, agent: some AgentEventRecording, events: Int) async -> WorkloadSummary {
        var generator = Generator(workload: self)
        while generator.summary.events < events {
            await generator.step(llm: llm, agent: agent)
        }
        return generator.summary
    }

    /// Emits events at about `eventsPerSecond` until `duration` has passed on `clock` (or the
    /// task is cancelled), sleeping between bursts of about 10 ms of events.
    public func run<C: Clock>(
        llm: some LLMEventRecording,
        agent: some AgentEventRecording,
        eventsPerSecond: Double,
        duration: Duration,
        clock: C = ContinuousClock()
    ) async -> WorkloadSummary where C.Duration == Duration {
        await paced(llm: llm, agent: agent, events: nil, eventsPerSecond: eventsPerSecond, duration: duration, clock: clock)
    }

    /// Emits the same events as ``run(llm:agent:events:)`` (so the totals are as reproducible),
    /// paced at about `eventsPerSecond`; stops early when the task is cancelled.
    public func run<C: Clock>(
        llm: some LLMEventRecording,
        agent: some AgentEventRecording,
        events: Int,
        eventsPerSecond: Double,
        clock: C = ContinuousClock()
    ) async -> WorkloadSummary where C.Duration == Duration {
        await paced(llm: llm, agent: agent, events: events, eventsPerSecond: eventsPerSecond, duration: nil, clock: clock)
    }

    private func paced<C: Clock>(
        llm: some LLMEventRecording,
        agent: some AgentEventRecording,
        events: Int?,
        eventsPerSecond: Double,
        duration: Duration?,
        clock: C
    ) async -> WorkloadSummary where C.Duration == Duration {
        var generator = Generator(workload: self)
        let start = clock.now
        let deadline = duration.map { start.advanced(by: $0) }
        while !Task.isCancelled {
            if let events, generator.summary.events >= events { break }
            if let deadline, clock.now >= deadline { break }
            let elapsed = start.duration(to: clock.now)
            let due = Int(eventsPerSecond * elapsed.seconds)
            if generator.summary.events < due {
                await generator.step(llm: llm, agent: agent)
            } else {
                try? await clock.sleep(for: .milliseconds(10))
            }
        }
        return generator.summary
    }
}

extension SyntheticWorkload {
    /// The state of one run of the workload.
    struct Generator {
        let workload: SyntheticWorkload
        var random: SplitMix64
        var summary = WorkloadSummary()
        let modelPopularity = ZipfDistribution(count: SyntheticWorkload.models.count, exponent: 1.1)
        let agentPopularity = ZipfDistribution(count: SyntheticWorkload.agents.count, exponent: 1.0)
        var novelNames = 0

        init(workload: SyntheticWorkload) {
            self.workload = workload
            self.random = SplitMix64(seed: workload.seed)
        }

        mutating func step(llm: some LLMEventRecording, agent: some AgentEventRecording) async {
            // Runs are 15 % of LLM requests; each run makes about 4 model calls.
            if random.chance(0.04) {
                await agentRun(llm: llm, agent: agent)
            } else {
                _ = await request(llm: llm, modelIndex: modelPopularity.sample(&random))
            }
        }

        /// One LLM request (started and finished); returns its tokens and cost.
        mutating func request(llm: some LLMEventRecording, modelIndex: Int) async -> (input: Int, output: Int, cost: Double) {
            var name = SyntheticWorkload.models[modelIndex]
            if workload.novelModelRate > 0, random.chance(workload.novelModelRate) {
                novelNames += 1
                name = "novel-model-\(workload.seed)-\(novelNames)"
            }
            let roll = random.unit()
            let status: LLMRequestStatus =
                roll < 0.95 ? .success : roll < 0.975 ? .error : roll < 0.99 ? .rateLimited : roll < 0.997 ? .timeout : .cancelled
            let streamed = random.chance(0.7)
            let input = min(1_000_000, Int(random.logNormal(median: 800, p99: 30_000)))
            var output = status == .success ? min(100_000, Int(random.logNormal(median: 250, p99: 4000))) : 0
            var reasoning = 0
            if SyntheticWorkload.isReasoning(modelIndex), status == .success {
                reasoning = output * (2 + Int(random.unit() * 8))
                output += reasoning
            }
            let cacheRead =
                SyntheticWorkload.cachesPrompts(modelIndex) && random.chance(0.4)
                ? Int(Double(input) * (0.3 + 0.5 * random.unit())) : 0
            let reasoningModel = SyntheticWorkload.isReasoning(modelIndex)
            let ttft = reasoningModel ? random.logNormal(median: 3, p99: 60) : random.logNormal(median: 0.4, p99: 5)
            let tpot = random.chance(0.1) ? 0.005 + 0.004 * random.unit() : random.logNormal(median: 0.025, p99: 0.15)
            let seconds = ttft + Double(output) * tpot
            let finish: LLMFinishReason? =
                switch status {
                case .success:
                    { let f = random.unit(); return f < 0.82 ? .stop : f < 0.945 ? .toolCalls : f < 0.995 ? .length : .contentFilter }()
                case .cancelled: .abort
                default: .error
                }
            let errorType: LLMErrorType? =
                switch status {
                case .success: nil
                case .rateLimited: .rateLimited
                case .timeout: .timeout
                case .cancelled: .cancelled
                case .error: [.serverError, .overloaded, .invalidRequest, .network, .contextLengthExceeded][Int(random.unit() * 5)]
                }
            if random.chance(0.01) {
                await llm.recordRetry(model: name, reason: [.rateLimited, .timeout, .serverError, .network][Int(random.unit() * 4)])
                summary.events += 1
            }
            if random.chance(0.003), modelIndex % 4 < 3 {
                await llm.recordFallback(
                    from: name, to: SyntheticWorkload.models[modelIndex + 1], outcome: random.chance(0.9) ? .success : .failure)
                summary.events += 1
            }
            await llm.recordRequestStarted(model: name)
            await llm.recordRequest(
                model: name, status: status, duration: .seconds(seconds), inputTokens: input, outputTokens: output,
                timeToFirstToken: streamed ? .seconds(ttft) : nil, finishReason: finish, errorType: errorType,
                cacheReadTokens: cacheRead, reasoningTokens: reasoning, wasStarted: true)
            summary.events += 2
            summary.llmRequests += 1
            summary.inputTokens += input
            if streamed, status == .success { summary.streamedSuccesses += 1 }
            let price = 0.5 * Double(modelIndex % 4 + 1)
            let cost = (Double(input) * price + Double(output) * 4 * price) / 1_000_000
            return (input, output, cost)
        }

        mutating func agentRun(llm: some LLMEventRecording, agent: some AgentEventRecording) async {
            let index = agentPopularity.sample(&random)
            let name = SyntheticWorkload.agents[index]
            let tools = SyntheticWorkload.tools(forAgent: index)
            await agent.recordExecutionStarted(agent: name)
            summary.events += 1
            let wanted = random.geometric(mean: 4)
            let llmCalls = min(wanted, 10)
            var toolCalls = 0
            var input = 0
            var output = 0
            var cost = 0.0
            var runSeconds = 0.0
            var status: AgentExecutionStatus = random.chance(0.97) ? .success : .error
            for _ in 0..<llmCalls {
                await agent.recordStep(agent: name, type: .llmCall)
                let result = await request(llm: llm, modelIndex: modelPopularity.sample(&random))
                input += result.input
                output += result.output
                cost += result.cost
                summary.events += 1
                let calls = random.chance(0.6) ? Int(random.unit() * 2) + (random.chance(0.05) ? 5 : 0) : 0
                for _ in 0..<calls {
                    var tool = tools[Int(random.unit() * Double(tools.count))]
                    if workload.novelToolRate > 0, random.chance(workload.novelToolRate) {
                        novelNames += 1
                        tool = "novel_tool_\(workload.seed)_\(novelNames)"
                    }
                    let seconds = random.chance(0.01) ? 60 + random.unit() * 240 : random.logNormal(median: 0.3, p99: 10)
                    runSeconds += seconds
                    await agent.recordStep(agent: name, type: .toolCall)
                    await agent.recordToolCall(
                        agent: name, tool: tool, duration: .seconds(seconds),
                        error: random.chance(0.03) ? [.timeout, .invalidArguments, .upstreamError][Int(random.unit() * 3)] : nil)
                    summary.events += 2
                    toolCalls += 1
                }
            }
            if index < 10, random.chance(0.15) {
                await agent.recordStep(agent: name, type: .handoff)
                await agent.recordHandoff(from: name, to: SyntheticWorkload.agents[10 + Int(random.unit() * 40)])
                summary.events += 2
            }
            if random.chance(0.005) {
                await agent.recordGuardrailTrigger(agent: name, guardrail: SyntheticWorkload.guardrails[Int(random.unit() * 10)])
                summary.events += 1
                status = .guardrailBlocked
            }
            if wanted > 10 {
                await agent.recordLimitHit(agent: name, limit: .maxSteps)
                summary.events += 1
                status = .limitExceeded
            }
            runSeconds += random.logNormal(median: 8, p99: 300)
            await agent.recordExecution(
                agent: name, status: status, duration: .seconds(min(runSeconds, 1800)), llmCalls: llmCalls,
                toolCalls: toolCalls, inputTokens: input, outputTokens: output, costUSD: cost, wasStarted: true)
            summary.events += 1
            summary.agentRuns += 1
            summary.toolCalls += toolCalls
            summary.agentLLMCalls += llmCalls
        }
    }
}
