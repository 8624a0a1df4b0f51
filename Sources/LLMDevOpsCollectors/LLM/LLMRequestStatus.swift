/// How an LLM request ended: the `status` label of `llmdevops_llm_requests_total`.
public enum LLMRequestStatus: String, Sendable, Hashable, CaseIterable {
    /// The response arrived.
    case success
    /// The provider or the client failed the request.
    case error
    /// The request ran out of time.
    case timeout
    /// The caller cancelled the request.
    case cancelled
    /// The provider refused the request with a rate limit (HTTP 429).
    case rateLimited = "rate_limited"
}
