import Foundation
import LLMDevOpsCollectors
@testable import LLMDevOpsMetricsServer
import Testing

/// The wire format: what `SidecarEmitter` writes, the listener reads back as the same event;
/// every kind of bad line gets its rejection reason.
@Suite struct SidecarProtocolTests {
    static let llmEvents: [LLMEvent] = [
        .requestStarted(model: "gpt-4o"),
        .requestFinished(
            LLMRequestCompletion(
                model: "gpt-4o", status: .success, duration: .milliseconds(1500), inputTokens: 812, outputTokens: 240,
                timeToFirstToken: .milliseconds(250), finishReason: .stop, cacheReadTokens: 100, cacheWriteTokens: 3,
                reasoningTokens: 7, traceID: "4bf92f3577b34da6a3ce929d0e0e4736", team: "search", wasStarted: true)),
        .requestFinished(
            LLMRequestCompletion(model: "m \"quoted\"\n\\é", status: .rateLimited, duration: .seconds(2), errorType: .rateLimited)),
        .retry(model: "gpt-4o", reason: .serverError),
        .fallback(from: "a", to: "b", outcome: .failure),
        .queueDuration(model: "gpt-4o", duration: .milliseconds(125)),
        .rateLimitRemaining(model: "gpt-4o", kind: .tokens, remaining: 12_345.5),
    ]

    static let agentEvents: [AgentEvent] = [
        .executionStarted(agent: "support-router"),
        .executionFinished(
            AgentExecutionCompletion(
                agent: "support-router", status: .limitExceeded, duration: .seconds(12), llmCalls: 3, toolCalls: 1,
                inputTokens: 2400, outputTokens: 600, costUSD: 0.015625, traceID: "t-1", wasStarted: true)),
        .executionFinished(AgentExecutionCompletion(agent: "x", status: .success, duration: .milliseconds(500))),
        .step(agent: "support-router", type: .llmCall),
        .toolCall(agent: "support-router", tool: "search_docs", duration: .milliseconds(375), error: .upstreamError),
        .toolCall(agent: "support-router", tool: "search_docs", duration: .milliseconds(375), error: nil),
        .handoff(from: "a", to: "b"),
        .limitHit(agent: "a", limit: .costBudget),
        .retry(agent: "a", kind: .tool),
        .guardrailTriggered(agent: "a", guardrail: "pii"),
    ]

    static func line(_ write: (inout [UInt8]) -> Bool) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try #require(write(&bytes))
        try #require(bytes.last == 10)
        #expect(bytes.dropLast().allSatisfy { $0 != 10 }, "one line per event")
        return Array(bytes.dropLast())
    }

    @Test(arguments: llmEvents)
    func llmEventsRoundTrip(_ event: LLMEvent) throws {
        let bytes = try Self.line { SidecarLineEncoder.append(event, to: &$0) }
        #expect(try SidecarMessageDecoder().decode(Data(bytes)) == .llm(event))
    }

    @Test(arguments: agentEvents)
    func agentEventsRoundTrip(_ event: AgentEvent) throws {
        let bytes = try Self.line { SidecarLineEncoder.append(event, to: &$0) }
        #expect(try SidecarMessageDecoder().decode(Data(bytes)) == .agent(event))
    }

    @Test func theDocumentedExampleDecodes() throws {
        let line = #"{"v":1,"type":"llm.request_finished","model":"gpt-4o","status":"success","duration_seconds":1.84,"input_tokens":812,"output_tokens":240,"ttft_seconds":0.31,"finish_reason":"stop","future_field":[1,2]}"#
        guard case .llm(.requestFinished(let request)) = try SidecarMessageDecoder().decode(Data(line.utf8)) else {
            Issue.record("not a finished request")
            return
        }
        #expect(request.wasStarted)
        #expect(request.inputTokens == 812)
        #expect(request.finishReason == .stop)
    }

    @Test func nonFiniteNumbersAreNotEncoded() {
        var bytes = Array("kept".utf8)
        #expect(!SidecarLineEncoder.append(LLMEvent.rateLimitRemaining(model: "m", kind: .tokens, remaining: .nan), to: &bytes))
        #expect(bytes == Array("kept".utf8))
    }

    @Test(arguments: [
        (#"not json"#, SidecarRejection.malformedJSON),
        (#"[1,2]"#, .malformedJSON),
        (#"{"v":1,"type":"llm.retry""#, .malformedJSON),
        (#"{"type":"llm.retry","model":"m","reason":"timeout"}"#, .unsupportedVersion),
        (#"{"v":2,"type":"llm.retry","model":"m","reason":"timeout"}"#, .unsupportedVersion),
        (#"{"v":"1","type":"llm.retry","model":"m","reason":"timeout"}"#, .unsupportedVersion),
        (#"{"v":1,"type":"llm.teleport"}"#, .unknownType),
        (#"{"v":1}"#, .unknownType),
        (#"{"v":1,"type":"llm.retry","model":"m"}"#, .invalidField),
        (#"{"v":1,"type":"llm.retry","model":"m","reason":"boredom"}"#, .invalidField),
        (#"{"v":1,"type":"llm.retry","model":7,"reason":"timeout"}"#, .invalidField),
        (#"{"v":1,"type":"llm.request","model":"m","status":"success","duration_seconds":1,"input_tokens":1.5}"#, .invalidField),
        (#"{"v":1,"type":"llm.request","model":"m","status":"success","duration_seconds":1,"input_tokens":-1}"#, .outOfRange),
        (#"{"v":1,"type":"llm.request","model":"m","status":"success","duration_seconds":-1}"#, .outOfRange),
        (#"{"v":1,"type":"llm.request","model":"m","status":"success","duration_seconds":1e12}"#, .outOfRange),
        (#"{"v":1,"type":"llm.retry","model":"","reason":"timeout"}"#, .outOfRange),
        (#"{"v":1,"type":"llm.rate_limit_remaining","model":"m","kind":"tokens","remaining":-3}"#, .outOfRange),
        (#"{"v":1,"type":"agent.execution","agent":"a","status":"success","duration_seconds":1,"cost_usd":-0.5}"#, .outOfRange),
    ])
    func badLinesAreRejectedWithTheirReason(_ line: String, _ reason: SidecarRejection) {
        #expect(throws: reason) { try SidecarMessageDecoder().decode(Data(line.utf8)) }
    }
}
