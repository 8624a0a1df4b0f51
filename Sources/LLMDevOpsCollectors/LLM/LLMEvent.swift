/// One event of the LLM collector, as it travels through the pipeline (and, later, the sidecar
/// socket).
public enum LLMEvent: Sendable, Hashable {
    /// A request was sent; raises `llmdevops_llm_requests_in_flight`.
    case requestStarted(model: String)
    /// A request finished.
    case requestFinished(LLMRequestCompletion)
    /// A request was retried.
    case retry(model: String, reason: LLMRetryReason)
    /// A request fell back from one model to another.
    case fallback(from: String, to: String, outcome: LLMFallbackOutcome)
    /// A request waited this long in the platform's queue.
    case queueDuration(model: String, duration: Duration)
    /// The provider reported what remains of a rate limit.
    case rateLimitRemaining(model: String, kind: LLMRateLimitKind, remaining: Double)
}
