/// One line of the sidecar protocol as JSON: every field any event type uses, all optional.
/// ``SidecarMessageDecoder`` checks which ones the `type` needs. Unknown keys are ignored, so a
/// v1 client may send fields a later v1 service understands. Integer fields are read as
/// `Double` and checked afterwards: Foundation's decoder reports a fractional number for an
/// `Int` as invalid JSON, which would count a wrong value as malformed.
struct SidecarWireMessage: Decodable {
    var v: Double?
    var type: String?
    var model: String?
    var agent: String?
    var tool: String?
    var guardrail: String?
    var from: String?
    var to: String?
    var status: String?
    var reason: String?
    var outcome: String?
    var kind: String?
    var limit: String?
    var stepType: String?
    var finishReason: String?
    var errorType: String?
    var traceID: String?
    var team: String?
    var durationSeconds: Double?
    var ttftSeconds: Double?
    var remaining: Double?
    var costUSD: Double?
    var inputTokens: Double?
    var outputTokens: Double?
    var cacheReadTokens: Double?
    var cacheWriteTokens: Double?
    var reasoningTokens: Double?
    var llmCalls: Double?
    var toolCalls: Double?

    enum CodingKeys: String, CodingKey {
        case v, type, model, agent, tool, guardrail, from, to, status, reason, outcome, kind, limit, team
        case stepType = "step_type"
        case finishReason = "finish_reason"
        case errorType = "error_type"
        case traceID = "trace_id"
        case durationSeconds = "duration_seconds"
        case ttftSeconds = "ttft_seconds"
        case remaining
        case costUSD = "cost_usd"
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case cacheReadTokens = "cache_read_tokens"
        case cacheWriteTokens = "cache_write_tokens"
        case reasoningTokens = "reasoning_tokens"
        case llmCalls = "llm_calls"
        case toolCalls = "tool_calls"
    }
}
