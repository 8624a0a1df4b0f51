/// Why a request was retried: the `reason` label of `llmdevops_llm_retries_total`.
public enum LLMRetryReason: String, Sendable, Hashable, CaseIterable {
    /// HTTP 429.
    case rateLimited = "rate_limited"
    /// A timeout.
    case timeout
    /// HTTP 5xx.
    case serverError = "server_error"
    /// A transport failure.
    case network
}
