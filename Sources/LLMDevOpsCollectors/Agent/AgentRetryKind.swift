/// What an agent retried: the `kind` label of `llmdevops_agent_retries_total`.
public enum AgentRetryKind: String, Sendable, Hashable, CaseIterable {
    /// A model call.
    case llm
    /// A tool call.
    case tool
}
