/// What a provider rate limit counts: the `kind` label of `llmdevops_llm_ratelimit_remaining`.
public enum LLMRateLimitKind: String, Sendable, Hashable, CaseIterable {
    /// Requests remaining in the window.
    case requests
    /// Tokens remaining in the window.
    case tokens
}
