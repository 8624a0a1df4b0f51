/// What a ``SyntheticWorkload`` run emitted, for checking the collectors against it.
public struct WorkloadSummary: Sendable, Hashable {
    /// Every record call made.
    public var events = 0
    /// LLM requests finished (standalone and agent-driven).
    public var llmRequests = 0
    /// Successful streamed LLM requests (the TTFT observations).
    public var streamedSuccesses = 0
    /// Input tokens over all LLM requests.
    public var inputTokens = 0
    /// Agent runs finished.
    public var agentRuns = 0
    /// Tool calls over all runs.
    public var toolCalls = 0
    /// Model calls made by agent runs.
    public var agentLLMCalls = 0

    /// An empty summary.
    public init() {}
}
