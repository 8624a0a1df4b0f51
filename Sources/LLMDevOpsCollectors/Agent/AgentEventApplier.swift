import LLMDevOpsMetrics

/// Applies agent events: resolves agents, tools and guardrails against the registry of the
/// configuration and updates cached series handles. Like ``LLMEventApplier`` it is immutable
/// apart from its lock-free series caches, so producers and the consumer share it.
final class AgentEventApplier: Sendable {
    private let vocabulary: AgentVocabulary
    private let overflow: OverflowCounter

    private let executions: SeriesCache<CounterMetric>
    private let steps: SeriesCache<CounterMetric>
    private let toolCalls: SeriesCache<CounterMetric>
    private let toolCallErrors: SeriesCache<CounterMetric>
    private let toolCallDuration: SeriesCache<HistogramMetric>
    private let executionDuration: SeriesCache<HistogramMetric>
    private let llmCallsPerExecution: SeriesCache<HistogramMetric>
    private let toolCallsPerExecution: SeriesCache<HistogramMetric>
    private let inFlight: SeriesCache<GaugeMetric>
    private let handoffs: SeriesCache<CounterMetric>
    private let limitsHit: SeriesCache<CounterMetric>
    private let retries: SeriesCache<CounterMetric>
    private let tokens: SeriesCache<CounterMetric>
    private let cost: SeriesCache<CounterMetric>
    private let executionCost: SeriesCache<HistogramMetric>
    private let unknownToolCalls: SeriesCache<CounterMetric>
    private let guardrailTriggers: SeriesCache<CounterMetric>

    init(families: AgentMetricFamilies, vocabulary: AgentVocabulary, overflow: OverflowCounter) {
        self.vocabulary = vocabulary
        self.overflow = overflow
        let a = vocabulary.agents.size
        let t = vocabulary.tools.size
        executions = SeriesCache(families.executions, size: a * AgentExecutionStatus.caseCount)
        steps = SeriesCache(families.steps, size: a * AgentStepType.caseCount)
        toolCalls = SeriesCache(families.toolCalls, size: a * t)
        toolCallErrors = SeriesCache(families.toolCallErrors, size: t * AgentToolErrorType.caseCount)
        toolCallDuration = SeriesCache(families.toolCallDuration, size: t)
        executionDuration = SeriesCache(families.executionDuration, size: a * 2)
        llmCallsPerExecution = SeriesCache(families.llmCallsPerExecution, size: a)
        toolCallsPerExecution = SeriesCache(families.toolCallsPerExecution, size: a)
        inFlight = SeriesCache(families.inFlight, size: a)
        handoffs = SeriesCache(families.handoffs, size: a * a)
        limitsHit = SeriesCache(families.limitsHit, size: a * AgentLimit.caseCount)
        retries = SeriesCache(families.retries, size: a * AgentRetryKind.caseCount)
        tokens = SeriesCache(families.tokens, size: a * 2)
        cost = SeriesCache(families.cost, size: a)
        executionCost = SeriesCache(families.executionCost, size: a)
        unknownToolCalls = SeriesCache(families.unknownToolCalls, size: a)
        guardrailTriggers = SeriesCache(families.guardrailTriggers, size: a * vocabulary.guardrails.size)
    }

    private var agents: LabelVocabulary { vocabulary.agents }

    func apply(_ event: AgentEvent) async {
        switch event {
        case .executionStarted(let agent):
            let a = await resolveAgent(agent, metric: AgentMetricFamilies.inFlight)
            await inFlight.series(a) { [agents.label(a)] }?.increment()
        case .executionFinished(let run):
            await finish(run)
        case .step(let agent, let type):
            let a = await resolveAgent(agent, metric: AgentMetricFamilies.steps)
            await steps.series(a * AgentStepType.caseCount + type.ordinal) { [agents.label(a), type.rawValue] }?.increment()
        case .toolCall(let agent, let tool, let duration, let error):
            await toolCall(agent: agent, tool: tool, duration: duration, error: error)
        case .handoff(let from, let to):
            let f = agents.resolve(from)
            let t = agents.resolve(to)
            if f.overflowed { await overflow.count(metric: AgentMetricFamilies.handoffs, label: "from_agent") }
            if t.overflowed { await overflow.count(metric: AgentMetricFamilies.handoffs, label: "to_agent") }
            await handoffs.series(f.index * agents.size + t.index) {
                [agents.label(f.index), agents.label(t.index)]
            }?.increment()
        case .limitHit(let agent, let limit):
            let a = await resolveAgent(agent, metric: AgentMetricFamilies.limitsHit)
            await limitsHit.series(a * AgentLimit.caseCount + limit.ordinal) { [agents.label(a), limit.rawValue] }?.increment()
        case .retry(let agent, let kind):
            let a = await resolveAgent(agent, metric: AgentMetricFamilies.retries)
            await retries.series(a * AgentRetryKind.caseCount + kind.ordinal) { [agents.label(a), kind.rawValue] }?.increment()
        case .guardrailTriggered(let agent, let guardrail):
            let a = await resolveAgent(agent, metric: AgentMetricFamilies.guardrailTriggers)
            let g = vocabulary.guardrails.resolve(guardrail)
            if g.overflowed { await overflow.count(metric: AgentMetricFamilies.guardrailTriggers, label: "guardrail") }
            await guardrailTriggers.series(a * vocabulary.guardrails.size + g.index) {
                [agents.label(a), vocabulary.guardrails.label(g.index)]
            }?.increment()
        }
    }

    private func finish(_ run: AgentExecutionCompletion) async {
        let a = await resolveAgent(run.agent, metric: AgentMetricFamilies.executions)
        let agent = agents.label(a)
        if run.wasStarted {
            await inFlight.series(a) { [agent] }?.decrement()
        }
        await executions.series(a * AgentExecutionStatus.caseCount + run.status.ordinal) {
            [agent, run.status.rawValue]
        }?.increment()
        let succeeded = run.status == .success
        let durationSeries = await executionDuration.series(a * 2 + (succeeded ? 0 : 1)) {
            [agent, succeeded ? "success" : "error"]
        }
        if let traceID = run.traceID {
            durationSeries?.observe(run.duration.seconds, exemplar: ["trace_id": traceID])
        } else {
            durationSeries?.observe(run.duration.seconds)
        }
        await llmCallsPerExecution.series(a) { [agent] }?.observe(Double(max(0, run.llmCalls)))
        await toolCallsPerExecution.series(a) { [agent] }?.observe(Double(max(0, run.toolCalls)))
        if run.inputTokens > 0 { await tokens.series(a * 2) { [agent, "input"] }?.increment(by: run.inputTokens) }
        if run.outputTokens > 0 { await tokens.series(a * 2 + 1) { [agent, "output"] }?.increment(by: run.outputTokens) }
        if let dollars = run.costUSD, dollars >= 0, dollars.isFinite {
            await cost.series(a) { [agent] }?.increment(by: dollars)
            await executionCost.series(a) { [agent] }?.observe(dollars)
        }
    }

    private func toolCall(agent: String, tool: String, duration: Duration, error: AgentToolErrorType?) async {
        let a = await resolveAgent(agent, metric: AgentMetricFamilies.toolCalls)
        let resolved = vocabulary.tool(tool, agent: a)
        let t = resolved.index
        let toolLabel = vocabulary.tools.label(t)
        if !resolved.registered {
            await overflow.count(metric: AgentMetricFamilies.toolCalls, label: "tool")
            await unknownToolCalls.series(a) { [agents.label(a)] }?.increment()
        }
        await toolCalls.series(a * vocabulary.tools.size + t) { [agents.label(a), toolLabel] }?.increment()
        await toolCallDuration.series(t) { [toolLabel] }?.observe(duration.seconds)
        if let error {
            await toolCallErrors.series(t * AgentToolErrorType.caseCount + error.ordinal) {
                [toolLabel, error.rawValue]
            }?.increment()
        }
    }

    private func resolveAgent(_ name: String, metric: String) async -> Int {
        let resolved = agents.resolve(name)
        if resolved.overflowed { await overflow.count(metric: metric, label: "agent") }
        return resolved.index
    }
}
