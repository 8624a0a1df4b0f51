/// Why a request failed: the `error_type` label of `llmdevops_llm_request_errors_total`.
public enum LLMErrorType: String, Sendable, Hashable, CaseIterable {
    /// HTTP 429.
    case rateLimited = "rate_limited"
    /// The request timed out.
    case timeout
    /// HTTP 5xx other than overload.
    case serverError = "server_error"
    /// HTTP 503 or 529: the provider is overloaded.
    case overloaded
    /// HTTP 400 or 422.
    case invalidRequest = "invalid_request"
    /// HTTP 401 or 403.
    case auth
    /// The prompt exceeded the context window.
    case contextLengthExceeded = "context_length_exceeded"
    /// A content filter refused the request.
    case contentFilter = "content_filter"
    /// A transport failure.
    case network
    /// The caller cancelled the request.
    case cancelled
    /// Anything else (OpenTelemetry spelling).
    case other = "_OTHER"
}
