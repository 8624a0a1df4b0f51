/// Everything known about one finished LLM request. ``LLMEventRecording/recordRequest(model:status:duration:inputTokens:outputTokens:timeToFirstToken:finishReason:errorType:cacheReadTokens:cacheWriteTokens:reasoningTokens:traceID:team:wasStarted:)``
/// builds one for you.
public struct LLMRequestCompletion: Sendable, Hashable {
    /// The requested model's canonical id.
    public var model: String
    /// How the request ended.
    public var status: LLMRequestStatus
    /// End-to-end duration as the client saw it.
    public var duration: Duration
    /// Billable input tokens, cached ones included.
    public var inputTokens: Int
    /// Billable output tokens, reasoning ones included.
    public var outputTokens: Int
    /// Time to the first streamed token; nil when the response was not streamed.
    public var timeToFirstToken: Duration?
    /// Why generation stopped; nil derives it from ``status`` (`abort` for cancelled, `error`
    /// for other failures, `other` for a success without a reason).
    public var finishReason: LLMFinishReason?
    /// Why the request failed; nil derives it from ``status``. Ignored for successes.
    public var errorType: LLMErrorType?
    /// Input tokens read from the prompt cache (part of ``inputTokens``).
    public var cacheReadTokens: Int
    /// Input tokens written to the prompt cache (part of ``inputTokens``).
    public var cacheWriteTokens: Int
    /// Reasoning tokens (part of ``outputTokens``).
    public var reasoningTokens: Int
    /// A trace id attached as an exemplar to the duration and TTFT observations.
    public var traceID: String?
    /// The team the cost is charged to, from the configured team allow-list
    /// (``LLMCollectorConfiguration/teams``); nil or unknown teams are charged to `other`.
    /// Used only when teams are configured.
    public var team: String?
    /// Whether a matching ``LLMEventRecording/recordRequestStarted(model:)`` raised the
    /// in-flight gauge, which this completion then lowers.
    public var wasStarted: Bool

    /// Creates a completion record.
    public init(
        model: String,
        status: LLMRequestStatus,
        duration: Duration,
        inputTokens: Int = 0,
        outputTokens: Int = 0,
        timeToFirstToken: Duration? = nil,
        finishReason: LLMFinishReason? = nil,
        errorType: LLMErrorType? = nil,
        cacheReadTokens: Int = 0,
        cacheWriteTokens: Int = 0,
        reasoningTokens: Int = 0,
        traceID: String? = nil,
        team: String? = nil,
        wasStarted: Bool = false
    ) {
        self.model = model
        self.status = status
        self.duration = duration
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.timeToFirstToken = timeToFirstToken
        self.finishReason = finishReason
        self.errorType = errorType
        self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.reasoningTokens = reasoningTokens
        self.traceID = traceID
        self.team = team
        self.wasStarted = wasStarted
    }
}
