import LLMDevOpsMetrics

/// The agent collector's families, registered once.
struct AgentMetricFamilies: Sendable {
    static let executions = "llmdevops_agent_executions_total"
    static let steps = "llmdevops_agent_steps_total"
    static let toolCalls = "llmdevops_agent_tool_calls_total"
    static let toolCallErrors = "llmdevops_agent_tool_call_errors_total"
    static let toolCallDuration = "llmdevops_agent_tool_call_duration_seconds"
    static let executionDuration = "llmdevops_agent_execution_duration_seconds"
    static let llmCallsPerExecution = "llmdevops_agent_llm_calls_per_execution"
    static let toolCallsPerExecution = "llmdevops_agent_tool_calls_per_execution"
    static let inFlight = "llmdevops_agent_executions_in_flight"
    static let handoffs = "llmdevops_agent_handoffs_total"
    static let limitsHit = "llmdevops_agent_limits_hit_total"
    static let retries = "llmdevops_agent_retries_total"
    static let tokens = "llmdevops_agent_tokens_total"
    static let cost = "llmdevops_agent_cost_usd_total"
    static let executionCost = "llmdevops_agent_execution_cost_usd"
    static let unknownToolCalls = "llmdevops_agent_unknown_tool_calls_total"
    static let guardrailTriggers = "llmdevops_agent_guardrail_triggers_total"

    let executions: CounterFamily
    let steps: CounterFamily
    let toolCalls: CounterFamily
    let toolCallErrors: CounterFamily
    let toolCallDuration: HistogramFamily
    let executionDuration: HistogramFamily
    let llmCallsPerExecution: HistogramFamily
    let toolCallsPerExecution: HistogramFamily
    let inFlight: GaugeFamily
    let handoffs: CounterFamily
    let limitsHit: CounterFamily
    let retries: CounterFamily
    let tokens: CounterFamily
    let cost: CounterFamily
    let executionCost: HistogramFamily
    let unknownToolCalls: CounterFamily
    let guardrailTriggers: CounterFamily

    /// `latencyOptions` apply to the duration histograms (A5, A6: native buckets when the
    /// collectors' configuration asks for them), `options` to every other family.
    static func register(
        in registry: RegistryActor, options: FamilyOptions, latencyOptions: FamilyOptions
    ) async throws(MetricsError) -> AgentMetricFamilies {
        AgentMetricFamilies(
            executions: try await registry.makeCounterFamily(
                name: executions, help: "Agent runs finished, by agent and status.",
                labelNames: ["agent", "status"], options: options),
            steps: try await registry.makeCounterFamily(
                name: steps, help: "Agent steps by type: one model call is llm_call, one executed tool is tool_call.",
                labelNames: ["agent", "step_type"], options: options),
            toolCalls: try await registry.makeCounterFamily(
                name: toolCalls, help: "Tool calls by agent and registered tool; unregistered tools are _unknown.",
                labelNames: ["agent", "tool"], options: options),
            toolCallErrors: try await registry.makeCounterFamily(
                name: toolCallErrors, help: "Failed tool calls by tool and error type.",
                labelNames: ["tool", "error_type"], options: options),
            toolCallDuration: try await registry.makeHistogramFamily(
                name: toolCallDuration, help: "Tool call duration.",
                unit: "seconds", labelNames: ["tool"], buckets: CatalogBuckets.toolDuration, options: latencyOptions),
            executionDuration: try await registry.makeHistogramFamily(
                name: executionDuration, help: "Agent run duration.",
                unit: "seconds", labelNames: ["agent", "outcome"], buckets: CatalogBuckets.agentDuration,
                options: latencyOptions),
            llmCallsPerExecution: try await registry.makeHistogramFamily(
                name: llmCallsPerExecution, help: "Model calls per finished agent run.",
                labelNames: ["agent"], buckets: CatalogBuckets.callsPerExecution, options: options),
            toolCallsPerExecution: try await registry.makeHistogramFamily(
                name: toolCallsPerExecution, help: "Tool calls per finished agent run.",
                labelNames: ["agent"], buckets: CatalogBuckets.callsPerExecution, options: options),
            inFlight: try await registry.makeGaugeFamily(
                name: inFlight, help: "Agent runs started and not yet finished.",
                labelNames: ["agent"], options: options),
            handoffs: try await registry.makeCounterFamily(
                name: handoffs, help: "Hand-offs between registered agents.",
                labelNames: ["from_agent", "to_agent"], options: options),
            limitsHit: try await registry.makeCounterFamily(
                name: limitsHit, help: "Agent runs that hit a limit, by limit.",
                labelNames: ["agent", "limit"], options: options),
            retries: try await registry.makeCounterFamily(
                name: retries, help: "Retried model and tool calls inside agent runs.",
                labelNames: ["agent", "kind"], options: options),
            tokens: try await registry.makeCounterFamily(
                name: tokens, help: "Tokens used by agent runs.",
                labelNames: ["agent", "type"], options: options),
            cost: try await registry.makeCounterFamily(
                name: cost, help: "Cost of agent runs in US dollars, as reported with each finished run.",
                unit: "usd", labelNames: ["agent"], options: options),
            executionCost: try await registry.makeHistogramFamily(
                name: executionCost, help: "Cost per agent run in US dollars.",
                unit: "usd", labelNames: ["agent"], buckets: CatalogBuckets.cost, options: options),
            unknownToolCalls: try await registry.makeCounterFamily(
                name: unknownToolCalls, help: "Calls of tools not registered to the calling agent.",
                labelNames: ["agent"], options: options),
            guardrailTriggers: try await registry.makeCounterFamily(
                name: guardrailTriggers, help: "Registered guardrails that triggered; others are other.",
                labelNames: ["agent", "guardrail"], options: options)
        )
    }
}
