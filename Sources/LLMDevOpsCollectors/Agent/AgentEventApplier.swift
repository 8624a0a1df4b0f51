import LLMDevOpsMetrics

/// Applies agent events for one vocabulary: resolves agents, tools and guardrails against the
/// registry of the configuration (and the names admitted at runtime) and updates cached series
/// handles. Like ``LLMEventApplier`` it is immutable apart from its lock-free series caches and
/// admission tables, so producers and the consumer share it.
final class AgentEventApplier: EventApplying {
    /// What decides the indices of the `agent`, `tool` and `guardrail` labels.
    struct Layout: Equatable {
        let agents: [AgentDefinition]
        let guardrails: [String]
        let admittedAgents: Int
        let admittedTools: Int

        init(_ configuration: AgentCollectorConfiguration) {
            agents = configuration.agents
            guardrails = configuration.guardrails
            admittedAgents = configuration.admitUnlistedAgents
            admittedTools = configuration.admitUnlistedTools
        }
    }

    let layout: Layout
    private let vocabulary: AgentVocabulary
    // The vocabulary's parts, stored so that the hot path borrows them instead of copying.
    private let agents: LabelVocabulary
    private let tools: LabelVocabulary
    private let guardrails: LabelVocabulary
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

    /// The applier for `configuration`, with new caches; what `previous` admitted is admitted
    /// again first (in its order, up to the new caps; names now registered are skipped). A
    /// configuration with the same ``Layout`` as `previous` needs no new applier.
    static func make(
        _ configuration: AgentCollectorConfiguration,
        families: AgentMetricFamilies,
        overflow: OverflowCounter,
        previous: AgentEventApplier? = nil
    ) -> AgentEventApplier {
        let vocabulary = AgentVocabulary(configuration: configuration)
        if let previous { vocabulary.carryOver(from: previous.vocabulary) }
        return AgentEventApplier(
            layout: Layout(configuration),
            families: families,
            vocabulary: vocabulary,
            overflow: overflow
        )
    }

    private init(layout: Layout, families: AgentMetricFamilies, vocabulary: AgentVocabulary, overflow: OverflowCounter)
    {
        self.layout = layout
        self.vocabulary = vocabulary
        agents = vocabulary.agents
        tools = vocabulary.tools
        guardrails = vocabulary.guardrails
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

    /// Agents admitted at runtime so far, in order.
    var admittedAgents: [String] {
        (agents.admission?.admitted ?? []).map(\.name)
    }

    func apply(_ event: AgentEvent, from start: Int) -> ApplyMiss? {
        var pass = ApplyPass(from: start)
        switch event {
        case .executionStarted(let agent):
            let a = resolveAgent(agent, metric: AgentMetricFamilies.inFlight, &pass)
            pass.update(inFlight, a, { [agents.label(a)] }) { $0.increment() }
        case .executionFinished(let run):
            finish(run, &pass)
        case .step(let agent, let type):
            let a = resolveAgent(agent, metric: AgentMetricFamilies.steps, &pass)
            pass.update(steps, a * AgentStepType.caseCount + type.ordinal, { [agents.label(a), type.rawValue] }) {
                $0.increment()
            }
        case .toolCall(let agent, let tool, let duration, let error):
            toolCall(agent: agent, tool: tool, duration: duration, error: error, &pass)
        case .handoff(let from, let to):
            let f = agents.resolve(from)
            let t = agents.resolve(to)
            if f.overflowed { pass.countOverflow(overflow, metric: AgentMetricFamilies.handoffs, label: "from_agent") }
            if t.overflowed { pass.countOverflow(overflow, metric: AgentMetricFamilies.handoffs, label: "to_agent") }
            pass.update(handoffs, f.index * agents.size + t.index, { [agents.label(f.index), agents.label(t.index)] }) {
                $0.increment()
            }
        case .limitHit(let agent, let limit):
            let a = resolveAgent(agent, metric: AgentMetricFamilies.limitsHit, &pass)
            pass.update(limitsHit, a * AgentLimit.caseCount + limit.ordinal, { [agents.label(a), limit.rawValue] }) {
                $0.increment()
            }
        case .retry(let agent, let kind):
            let a = resolveAgent(agent, metric: AgentMetricFamilies.retries, &pass)
            pass.update(retries, a * AgentRetryKind.caseCount + kind.ordinal, { [agents.label(a), kind.rawValue] }) {
                $0.increment()
            }
        case .guardrailTriggered(let agent, let guardrail):
            let a = resolveAgent(agent, metric: AgentMetricFamilies.guardrailTriggers, &pass)
            let g = guardrails.resolve(guardrail)
            if g.overflowed {
                pass.countOverflow(overflow, metric: AgentMetricFamilies.guardrailTriggers, label: "guardrail")
            }
            pass.update(
                guardrailTriggers,
                a * guardrails.size + g.index,
                { [agents.label(a), guardrails.label(g.index)] }
            ) { $0.increment() }
        }
        return pass.miss
    }

    private func finish(_ run: AgentExecutionCompletion, _ pass: inout ApplyPass) {
        let a = resolveAgent(run.agent, metric: AgentMetricFamilies.executions, &pass)
        if run.wasStarted {
            pass.update(inFlight, a, { [agents.label(a)] }) { $0.decrement() }
        }
        let status = run.status
        pass.update(
            executions,
            a * AgentExecutionStatus.caseCount + status.ordinal,
            { [agents.label(a), status.rawValue] }
        ) {
            $0.increment()
        }
        let succeeded = status == .success
        let seconds = run.duration.seconds
        let traceID = run.traceID
        pass.update(
            executionDuration,
            a * 2 + (succeeded ? 0 : 1),
            { [agents.label(a), succeeded ? "success" : "error"] }
        ) {
            if let traceID {
                $0.observe(seconds, exemplar: ["trace_id": traceID])
            } else {
                $0.observe(seconds)
            }
        }
        let llmCalls = Double(max(0, run.llmCalls))
        let toolCalls = Double(max(0, run.toolCalls))
        pass.update(llmCallsPerExecution, a, { [agents.label(a)] }) { $0.observe(llmCalls) }
        pass.update(toolCallsPerExecution, a, { [agents.label(a)] }) { $0.observe(toolCalls) }
        let inputTokens = run.inputTokens
        let outputTokens = run.outputTokens
        if inputTokens > 0 {
            pass.update(tokens, a * 2, { [agents.label(a), "input"] }) { $0.increment(by: inputTokens) }
        }
        if outputTokens > 0 {
            pass.update(tokens, a * 2 + 1, { [agents.label(a), "output"] }) { $0.increment(by: outputTokens) }
        }
        if let dollars = run.costUSD, dollars >= 0, dollars.isFinite {
            pass.update(cost, a, { [agents.label(a)] }) { $0.increment(by: dollars) }
            pass.update(executionCost, a, { [agents.label(a)] }) { $0.observe(dollars) }
        }
    }

    private func toolCall(
        agent: String,
        tool: String,
        duration: Duration,
        error: AgentToolErrorType?,
        _ pass: inout ApplyPass
    ) {
        let a = resolveAgent(agent, metric: AgentMetricFamilies.toolCalls, &pass)
        let resolved = vocabulary.tool(tool, agent: a)
        let t = resolved.index
        if !resolved.registered {
            pass.countOverflow(overflow, metric: AgentMetricFamilies.toolCalls, label: "tool")
            pass.update(unknownToolCalls, a, { [agents.label(a)] }) { $0.increment() }
        }
        pass.update(toolCalls, a * tools.size + t, { [agents.label(a), tools.label(t)] }) { $0.increment() }
        let seconds = duration.seconds
        pass.update(toolCallDuration, t, { [tools.label(t)] }) { $0.observe(seconds) }
        if let error {
            pass.update(
                toolCallErrors,
                t * AgentToolErrorType.caseCount + error.ordinal,
                { [tools.label(t), error.rawValue] }
            ) {
                $0.increment()
            }
        }
    }

    @inline(__always)
    private func resolveAgent(_ name: String, metric: String, _ pass: inout ApplyPass) -> Int {
        let resolved = agents.resolve(name)
        if resolved.overflowed { pass.countOverflow(overflow, metric: metric, label: "agent") }
        return resolved.index
    }
}
