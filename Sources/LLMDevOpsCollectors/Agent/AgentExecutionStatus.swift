/// How an agent run ended: the `status` label of `llmdevops_agent_executions_total`.
public enum AgentExecutionStatus: String, Sendable, Hashable, CaseIterable {
    /// The run finished normally.
    case success
    /// The run failed.
    case error
    /// The run timed out.
    case timeout
    /// The run was cancelled.
    case cancelled
    /// The run hit a configured limit (steps, tool calls, budget, wall clock).
    case limitExceeded = "limit_exceeded"
    /// A guardrail stopped the run.
    case guardrailBlocked = "guardrail_blocked"
}
