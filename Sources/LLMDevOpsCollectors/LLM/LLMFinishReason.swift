/// Why generation stopped: the `finish_reason` label of `llmdevops_llm_finish_reasons_total`.
public enum LLMFinishReason: String, Sendable, Hashable, CaseIterable {
    /// A natural stop or a stop sequence.
    case stop
    /// The output token limit.
    case length
    /// The model asked for tool calls.
    case toolCalls = "tool_calls"
    /// A content filter stopped generation.
    case contentFilter = "content_filter"
    /// The request was aborted (cancelled).
    case abort
    /// The request failed.
    case error
    /// Anything else.
    case other
}
