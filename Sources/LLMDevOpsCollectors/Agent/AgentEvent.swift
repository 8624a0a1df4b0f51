/// One event of the agent collector, as it travels through the pipeline (and, later, the
/// sidecar socket).
public enum AgentEvent: Sendable, Hashable {
    /// A run started; raises `llmdevops_agent_executions_in_flight`.
    case executionStarted(agent: String)
    /// A run finished.
    case executionFinished(AgentExecutionCompletion)
    /// The run took one step.
    case step(agent: String, type: AgentStepType)
    /// The agent called a tool; `error` is nil when the call succeeded.
    case toolCall(agent: String, tool: String, duration: Duration, error: AgentToolErrorType?)
    /// One agent handed off to another.
    case handoff(from: String, to: String)
    /// The run hit a limit.
    case limitHit(agent: String, limit: AgentLimit)
    /// The agent retried a model or tool call.
    case retry(agent: String, kind: AgentRetryKind)
    /// A guardrail triggered.
    case guardrailTriggered(agent: String, guardrail: String)
}
