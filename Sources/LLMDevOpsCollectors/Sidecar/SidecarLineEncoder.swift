import LLMDevOpsMetrics

/// Writes events as lines of the sidecar protocol, version 1: one JSON object per
/// `metrics.llm` / `metrics.agent` call, terminated by `\n` (README, "Sidecar protocol").
///
/// ```swift
/// var line: [UInt8] = []
/// SidecarLineEncoder.append(.retry(model: "gpt-4o", reason: .timeout), to: &line)
/// // {"v":1,"type":"llm.retry","model":"gpt-4o","reason":"timeout"}\n
/// ```
///
/// Strings are escaped per RFC 8259 (quote, backslash, control characters), so a line never
/// contains a raw newline; numbers are written in Swift's shortest round-trip form. A
/// non-finite number cannot be written in JSON: `append(_:to:)` then returns
/// `false` and leaves `bytes` as it was.
package enum SidecarLineEncoder {
    /// The protocol version written in every line's `v` field.
    package static let version = 1

    /// Appends one line for `event`; returns false (appending nothing) when a number is not finite.
    @discardableResult
    package static func append(_ event: LLMEvent, to bytes: inout [UInt8]) -> Bool {
        let start = bytes.count
        var object = JSONObjectWriter(taking: &bytes)
        defer { object.finish(into: &bytes) }
        switch event {
        case .requestStarted(let model):
            object.header("llm.request_started")
            object.field("model", model)
        case .requestFinished(let request):
            object.header(request.wasStarted ? "llm.request_finished" : "llm.request")
            object.field("model", request.model)
            object.field("status", request.status.rawValue)
            object.field("duration_seconds", request.duration)
            object.field("input_tokens", request.inputTokens)
            object.field("output_tokens", request.outputTokens)
            if let ttft = request.timeToFirstToken { object.field("ttft_seconds", ttft) }
            if let reason = request.finishReason { object.field("finish_reason", reason.rawValue) }
            if let errorType = request.errorType { object.field("error_type", errorType.rawValue) }
            if request.cacheReadTokens != 0 { object.field("cache_read_tokens", request.cacheReadTokens) }
            if request.cacheWriteTokens != 0 { object.field("cache_write_tokens", request.cacheWriteTokens) }
            if request.reasoningTokens != 0 { object.field("reasoning_tokens", request.reasoningTokens) }
            if let traceID = request.traceID { object.field("trace_id", traceID) }
            if let team = request.team { object.field("team", team) }
        case .retry(let model, let reason):
            object.header("llm.retry")
            object.field("model", model)
            object.field("reason", reason.rawValue)
        case .fallback(let from, let to, let outcome):
            object.header("llm.fallback")
            object.field("from", from)
            object.field("to", to)
            object.field("outcome", outcome.rawValue)
        case .queueDuration(let model, let duration):
            object.header("llm.queue_duration")
            object.field("model", model)
            object.field("duration_seconds", duration)
        case .rateLimitRemaining(let model, let kind, let remaining):
            object.header("llm.rate_limit_remaining")
            object.field("model", model)
            object.field("kind", kind.rawValue)
            object.field("remaining", remaining)
        }
        return object.end(truncatingTo: start)
    }

    /// Appends one line for `event`; returns false (appending nothing) when a number is not finite.
    @discardableResult
    package static func append(_ event: AgentEvent, to bytes: inout [UInt8]) -> Bool {
        let start = bytes.count
        var object = JSONObjectWriter(taking: &bytes)
        defer { object.finish(into: &bytes) }
        switch event {
        case .executionStarted(let agent):
            object.header("agent.execution_started")
            object.field("agent", agent)
        case .executionFinished(let run):
            object.header(run.wasStarted ? "agent.execution_finished" : "agent.execution")
            object.field("agent", run.agent)
            object.field("status", run.status.rawValue)
            object.field("duration_seconds", run.duration)
            object.field("llm_calls", run.llmCalls)
            object.field("tool_calls", run.toolCalls)
            object.field("input_tokens", run.inputTokens)
            object.field("output_tokens", run.outputTokens)
            if let cost = run.costUSD { object.field("cost_usd", cost) }
            if let traceID = run.traceID { object.field("trace_id", traceID) }
        case .step(let agent, let type):
            object.header("agent.step")
            object.field("agent", agent)
            object.field("step_type", type.rawValue)
        case .toolCall(let agent, let tool, let duration, let error):
            object.header("agent.tool_call")
            object.field("agent", agent)
            object.field("tool", tool)
            object.field("duration_seconds", duration)
            if let error { object.field("error_type", error.rawValue) }
        case .handoff(let from, let to):
            object.header("agent.handoff")
            object.field("from", from)
            object.field("to", to)
        case .limitHit(let agent, let limit):
            object.header("agent.limit_hit")
            object.field("agent", agent)
            object.field("limit", limit.rawValue)
        case .retry(let agent, let kind):
            object.header("agent.retry")
            object.field("agent", agent)
            object.field("kind", kind.rawValue)
        case .guardrailTriggered(let agent, let guardrail):
            object.header("agent.guardrail_triggered")
            object.field("agent", agent)
            object.field("guardrail", guardrail)
        }
        return object.end(truncatingTo: start)
    }
}

/// Appends the fields of one flat JSON object to a buffer it borrows (by swapping it in and
/// out, so nothing is copied); remembers whether a number was not finite.
private struct JSONObjectWriter {
    private var bytes: [UInt8] = []
    private var valid = true

    /// Takes the caller's buffer; ``finish(into:)`` hands it back.
    init(taking buffer: inout [UInt8]) {
        swap(&bytes, &buffer)
    }

    mutating func finish(into buffer: inout [UInt8]) {
        swap(&bytes, &buffer)
    }

    mutating func header(_ type: String) {
        bytes.append(contentsOf: #"{"v":"#.utf8)
        bytes.append(contentsOf: String(SidecarLineEncoder.version).utf8)
        bytes.append(contentsOf: #","type":"#.utf8)
        appendString(type)
    }

    mutating func field(_ name: String, _ value: String) {
        key(name)
        appendString(value)
    }

    mutating func field(_ name: String, _ value: Int) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func field(_ name: String, _ value: Double) {
        key(name)
        guard value.isFinite else {
            valid = false
            return
        }
        bytes.append(contentsOf: value.description.utf8)
    }

    mutating func field(_ name: String, _ value: Duration) {
        field(name, value.seconds)
    }

    /// Closes the object and the line; on an invalid number removes everything from `start`.
    mutating func end(truncatingTo start: Int) -> Bool {
        guard valid else {
            bytes.removeSubrange(start...)
            return false
        }
        bytes.append(contentsOf: "}\n".utf8)
        return true
    }

    private mutating func key(_ name: String) {
        bytes.append(UInt8(ascii: ","))
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): bytes.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): bytes.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(Self.hex[Int(byte >> 4)])
                bytes.append(Self.hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
