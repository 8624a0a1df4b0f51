/// One step of an agent run: the `step_type` label of `llmdevops_agent_steps_total`. One model
/// call is `llm_call`, one executed tool `tool_call`.
public enum AgentStepType: String, Sendable, Hashable, CaseIterable {
    /// One model call.
    case llmCall = "llm_call"
    /// One executed tool.
    case toolCall = "tool_call"
    /// A hand-off to another agent.
    case handoff
    /// A guardrail check.
    case guardrail
    /// A planning step.
    case plan
    /// A retrieval step.
    case retrieval
    /// A memory read or write.
    case memory
    /// Anything else.
    case other
}
