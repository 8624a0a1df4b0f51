/// The API an application uses to report agent runs: `await metrics.agent.recordToolCall(...)`.
///
/// The in-process ``AgentCollector`` implements it; a sidecar emitter implements the same two
/// requirements by sending the events over its socket.
///
/// ```swift
/// await metrics.agent.recordExecutionStarted(agent: "support-router")
/// await metrics.agent.recordStep(agent: "support-router", type: .llmCall)
/// await metrics.agent.recordToolCall(agent: "support-router", tool: "search_docs", duration: .milliseconds(320))
/// await metrics.agent.recordExecutionFinished(
///     agent: "support-router", status: .success, duration: .seconds(12), llmCalls: 1, toolCalls: 1)
/// ```
public protocol AgentEventRecording: Sendable {
    /// Hands one event to the collector. Never waits for room: the in-process collector applies
    /// it before returning when nothing is queued (suspending only to create a series it has not
    /// seen before), otherwise buffers it; an event that does not fit the bounded buffer is
    /// dropped and counted.
    func record(_ event: AgentEvent) async
    /// Returns once every event recorded before this call has been applied.
    func flush() async
}

extension AgentEventRecording {
    /// Records that a run started (A9 up).
    public func recordExecutionStarted(agent: String) async {
        await record(.executionStarted(agent: agent))
    }

    /// Records the end of a run announced with ``recordExecutionStarted(agent:)`` (A1, A6–A9,
    /// A13–A15).
    public func recordExecutionFinished(
        agent: String,
        status: AgentExecutionStatus,
        duration: Duration,
        llmCalls: Int = 0,
        toolCalls: Int = 0,
        inputTokens: Int = 0,
        outputTokens: Int = 0,
        costUSD: Double? = nil,
        traceID: String? = nil
    ) async {
        await record(
            .executionFinished(
                AgentExecutionCompletion(
                    agent: agent, status: status, duration: duration, llmCalls: llmCalls, toolCalls: toolCalls,
                    inputTokens: inputTokens, outputTokens: outputTokens, costUSD: costUSD, traceID: traceID,
                    wasStarted: true
                )
            )
        )
    }

    /// Records a finished run that was not announced (the in-flight gauge does not move).
    public func recordExecution(
        agent: String,
        status: AgentExecutionStatus,
        duration: Duration,
        llmCalls: Int = 0,
        toolCalls: Int = 0,
        inputTokens: Int = 0,
        outputTokens: Int = 0,
        costUSD: Double? = nil,
        traceID: String? = nil
    ) async {
        await record(
            .executionFinished(
                AgentExecutionCompletion(
                    agent: agent, status: status, duration: duration, llmCalls: llmCalls, toolCalls: toolCalls,
                    inputTokens: inputTokens, outputTokens: outputTokens, costUSD: costUSD, traceID: traceID,
                    wasStarted: false
                )
            )
        )
    }

    /// Records one step of a run (A2).
    public func recordStep(agent: String, type: AgentStepType) async {
        await record(.step(agent: agent, type: type))
    }

    /// Records one tool call (A3, A5; A4 when `error` is set; A16 when the tool is not
    /// registered to the agent).
    public func recordToolCall(agent: String, tool: String, duration: Duration, error: AgentToolErrorType? = nil) async {
        await record(.toolCall(agent: agent, tool: tool, duration: duration, error: error))
    }

    /// Records a hand-off between two registered agents (A10).
    public func recordHandoff(from: String, to: String) async {
        await record(.handoff(from: from, to: to))
    }

    /// Records that a run hit a limit (A11).
    public func recordLimitHit(agent: String, limit: AgentLimit) async {
        await record(.limitHit(agent: agent, limit: limit))
    }

    /// Records a retried model or tool call (A12).
    public func recordRetry(agent: String, kind: AgentRetryKind) async {
        await record(.retry(agent: agent, kind: kind))
    }

    /// Records that a registered guardrail triggered (A17).
    public func recordGuardrailTrigger(agent: String, guardrail: String) async {
        await record(.guardrailTriggered(agent: agent, guardrail: guardrail))
    }
}
