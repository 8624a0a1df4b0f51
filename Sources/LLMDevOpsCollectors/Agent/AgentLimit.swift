/// A limit an agent run can hit: the `limit` label of `llmdevops_agent_limits_hit_total`.
public enum AgentLimit: String, Sendable, Hashable, CaseIterable {
    /// The maximum number of steps (turns).
    case maxSteps = "max_steps"
    /// The maximum number of tool calls.
    case maxToolCalls = "max_tool_calls"
    /// The token budget.
    case tokenBudget = "token_budget"
    /// The cost budget.
    case costBudget = "cost_budget"
    /// The wall-clock limit.
    case wallClock = "wall_clock"
}
