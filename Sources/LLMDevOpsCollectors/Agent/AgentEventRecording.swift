/// The API an application uses to report agent runs: `await metrics.agent.recordToolCall(...)`.
///
/// The in-process ``AgentCollector`` implements it; a sidecar emitter implements the same two
/// requirements by sending the events over its socket.
///
/// ```swift
/// await metrics.agent.recordExecutionStarted(agent: "support-router")
/// await metrics.agent.recordStep(agent: "support-router", type: .llmCall)
/// await metrics.agent.recordToolCall(agent: "support-router", tool: "search_docs", duration: .milliseconds(320))
/// await metrics.agent.recordExecution(
///     agent: "support-router", status: .success, duration: .seconds(12), llmCalls: 1, toolCalls: 1,
///     wasStarted: true)
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
    /// Records that a run started, raising `llmdevops_agent_executions_in_flight{agent}` until a
    /// ``recordExecution(agent:status:duration:llmCalls:toolCalls:inputTokens:outputTokens:costUSD:traceID:wasStarted:)``
    /// with `wasStarted: true` lowers it.
    public func recordExecutionStarted(agent: String) async {
        await record(.executionStarted(agent: agent))
    }

    /// Records a finished run: its count, duration, model and tool calls, tokens and cost. Pass
    /// `wasStarted: true` for a run announced with ``recordExecutionStarted(agent:)``, which then
    /// lowers the in-flight gauge.
    public func recordExecution(
        agent: String,
        status: AgentExecutionStatus,
        duration: Duration,
        llmCalls: Int = 0,
        toolCalls: Int = 0,
        inputTokens: Int = 0,
        outputTokens: Int = 0,
        costUSD: Double? = nil,
        traceID: String? = nil,
        wasStarted: Bool = false
    ) async {
        await record(
            .executionFinished(
                AgentExecutionCompletion(
                    agent: agent, status: status, duration: duration, llmCalls: llmCalls, toolCalls: toolCalls,
                    inputTokens: inputTokens, outputTokens: outputTokens, costUSD: costUSD, traceID: traceID,
                    wasStarted: wasStarted
                )
            )
        )
    }

    /// Records one step of a run (`llmdevops_agent_steps_total`).
    public func recordStep(agent: String, type: AgentStepType) async {
        await record(.step(agent: agent, type: type))
    }

    /// Records one tool call: its count and duration, an error when `error` is set, and an
    /// unknown tool call when the tool is not registered to the agent.
    public func recordToolCall(agent: String, tool: String, duration: Duration, error: AgentToolErrorType? = nil) async {
        await record(.toolCall(agent: agent, tool: tool, duration: duration, error: error))
    }

    /// Records a hand-off between two registered agents (`llmdevops_agent_handoffs_total`).
    public func recordHandoff(from: String, to: String) async {
        await record(.handoff(from: from, to: to))
    }

    /// Records that a run hit a limit (`llmdevops_agent_limits_hit_total`).
    public func recordLimitHit(agent: String, limit: AgentLimit) async {
        await record(.limitHit(agent: agent, limit: limit))
    }

    /// Records a retried model or tool call (`llmdevops_agent_retries_total`).
    public func recordRetry(agent: String, kind: AgentRetryKind) async {
        await record(.retry(agent: agent, kind: kind))
    }

    /// Records that a registered guardrail triggered (`llmdevops_agent_guardrail_triggers_total`).
    public func recordGuardrailTrigger(agent: String, guardrail: String) async {
        await record(.guardrailTriggered(agent: agent, guardrail: guardrail))
    }
}
