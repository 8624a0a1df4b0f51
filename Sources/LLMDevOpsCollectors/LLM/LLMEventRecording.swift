/// The API an application uses to report LLM requests: `await metrics.llm.recordRequest(...)`.
///
/// The in-process ``LLMCollector`` implements it; a sidecar emitter implements the same two
/// requirements by sending the events over its socket, so application code does not change.
///
/// ```swift
/// await metrics.llm.recordRequestStarted(model: "gpt-4o")
/// await metrics.llm.recordRequest(
///     model: "gpt-4o", status: .success, duration: .milliseconds(1840),
///     inputTokens: 812, outputTokens: 240, timeToFirstToken: .milliseconds(310), finishReason: .stop,
///     wasStarted: true)
/// ```
public protocol LLMEventRecording: Sendable {
    /// Hands one event to the collector. Never waits for room: the in-process collector applies
    /// it before returning when nothing is queued (suspending only to create a series it has not
    /// seen before), otherwise buffers it; an event that does not fit the bounded buffer is
    /// dropped and counted.
    func record(_ event: LLMEvent) async
    /// Returns once every event recorded before this call has been applied.
    func flush() async
}

extension LLMEventRecording {
    /// Records that a request was sent, raising `llmdevops_llm_requests_in_flight{model}` until
    /// a ``recordRequest(model:status:duration:inputTokens:outputTokens:timeToFirstToken:finishReason:errorType:cacheReadTokens:cacheWriteTokens:reasoningTokens:traceID:team:wasStarted:)``
    /// with `wasStarted: true` lowers it.
    public func recordRequestStarted(model: String) async {
        await record(.requestStarted(model: model))
    }

    /// Records a finished request: its count, duration, tokens, finish reason, errors and cost.
    /// TTFT and TPOT are recorded only for successful streamed responses (`timeToFirstToken`
    /// given); TPOT only with at least two output tokens. Pass `wasStarted: true` for a request
    /// announced with ``recordRequestStarted(model:)``, which then lowers the in-flight gauge.
    public func recordRequest(
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
    ) async {
        await record(
            .requestFinished(
                LLMRequestCompletion(
                    model: model, status: status, duration: duration, inputTokens: inputTokens,
                    outputTokens: outputTokens, timeToFirstToken: timeToFirstToken, finishReason: finishReason,
                    errorType: errorType, cacheReadTokens: cacheReadTokens, cacheWriteTokens: cacheWriteTokens,
                    reasoningTokens: reasoningTokens, traceID: traceID, team: team, wasStarted: wasStarted)))
    }

    /// Records a retry of a request (`llmdevops_llm_retries_total`).
    public func recordRetry(model: String, reason: LLMRetryReason) async {
        await record(.retry(model: model, reason: reason))
    }

    /// Records a fallback along a configured chain (`llmdevops_llm_fallbacks_total`).
    public func recordFallback(from: String, to: String, outcome: LLMFallbackOutcome) async {
        await record(.fallback(from: from, to: to, outcome: outcome))
    }

    /// Records the time a request spent queued (`llmdevops_llm_queue_duration_seconds`; ignored
    /// unless enabled in the configuration).
    public func recordQueueDuration(model: String, duration: Duration) async {
        await record(.queueDuration(model: model, duration: duration))
    }

    /// Sets what remains of a provider rate limit (`llmdevops_llm_ratelimit_remaining`), e.g. from
    /// `x-ratelimit-remaining-tokens`.
    public func setRateLimitRemaining(model: String, kind: LLMRateLimitKind, remaining: Double) async {
        await record(.rateLimitRemaining(model: model, kind: kind, remaining: remaining))
    }
}
