/// How a fallback to another model ended: the `outcome` label of `llmdevops_llm_fallbacks_total`.
public enum LLMFallbackOutcome: String, Sendable, Hashable, CaseIterable {
    /// The fallback model answered.
    case success
    /// The fallback model failed too.
    case failure
}
