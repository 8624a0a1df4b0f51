/// What an agent retried: the `kind` label of `llmdevops_agent_retries_total` (A12).
public enum AgentRetryKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A model call.
    case llm
    /// A tool call.
    case tool
}
