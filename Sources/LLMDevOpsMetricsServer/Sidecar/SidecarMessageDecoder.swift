#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LLMDevOpsCollectors
import NIOCore

/// Turns one line into a ``SidecarMessage`` or a ``SidecarRejection``: JSON syntax first, then
/// the version, the type, and each field the type needs with its range.
struct SidecarMessageDecoder {
    /// The protocol versions this service reads.
    static let supportedVersions = 1...1
    /// The longest model, agent, tool or guardrail name.
    static let maxNameBytes = 256
    /// The longest trace id (an exemplar label value).
    static let maxTraceIDBytes = 64
    /// The largest token or call count (2^53, where doubles stop being exact integers).
    static let maxCount: Double = 9_007_199_254_740_992
    /// The largest duration in seconds (about 31 years).
    static let maxSeconds = 1e9

    private let decoder = JSONDecoder()

    func decode(_ line: ByteBuffer) throws(SidecarRejection) -> SidecarMessage {
        try decode(Data(line.readableBytesView))
    }

    func decode(_ data: Data) throws(SidecarRejection) -> SidecarMessage {
        let wire: SidecarWireMessage
        do {
            wire = try decoder.decode(SidecarWireMessage.self, from: data)
        } catch let error as DecodingError {
            throw Self.classify(error)
        } catch {
            throw .malformedJSON
        }
        guard let version = wire.v, let whole = Int(exactly: version), Self.supportedVersions.contains(whole) else {
            throw .unsupportedVersion
        }
        let fields = Fields(wire: wire)
        switch wire.type {
        case "llm.request_started": return .llm(.requestStarted(model: try fields.name(\.model)))
        case "llm.request": return .llm(.requestFinished(try fields.request(wasStarted: false)))
        case "llm.request_finished": return .llm(.requestFinished(try fields.request(wasStarted: true)))
        case "llm.retry": return .llm(.retry(model: try fields.name(\.model), reason: try fields.value(\.reason)))
        case "llm.fallback":
            return .llm(.fallback(from: try fields.name(\.from), to: try fields.name(\.to), outcome: try fields.value(\.outcome)))
        case "llm.queue_duration":
            return .llm(.queueDuration(model: try fields.name(\.model), duration: try fields.duration(\.durationSeconds)))
        case "llm.rate_limit_remaining":
            return .llm(
                .rateLimitRemaining(
                    model: try fields.name(\.model), kind: try fields.value(\.kind),
                    remaining: try fields.nonNegative(\.remaining)))
        case "agent.execution_started": return .agent(.executionStarted(agent: try fields.name(\.agent)))
        case "agent.execution": return .agent(.executionFinished(try fields.execution(wasStarted: false)))
        case "agent.execution_finished": return .agent(.executionFinished(try fields.execution(wasStarted: true)))
        case "agent.step": return .agent(.step(agent: try fields.name(\.agent), type: try fields.value(\.stepType)))
        case "agent.tool_call":
            return .agent(
                .toolCall(
                    agent: try fields.name(\.agent), tool: try fields.name(\.tool),
                    duration: try fields.duration(\.durationSeconds), error: try fields.optionalValue(\.errorType)))
        case "agent.handoff": return .agent(.handoff(from: try fields.name(\.from), to: try fields.name(\.to)))
        case "agent.limit_hit": return .agent(.limitHit(agent: try fields.name(\.agent), limit: try fields.value(\.limit)))
        case "agent.retry": return .agent(.retry(agent: try fields.name(\.agent), kind: try fields.value(\.kind)))
        case "agent.guardrail_triggered":
            return .agent(.guardrailTriggered(agent: try fields.name(\.agent), guardrail: try fields.name(\.guardrail)))
        default:
            throw .unknownType
        }
    }

    /// Syntax errors and a top level that is not an object are malformed JSON; a field of the
    /// wrong JSON type is an invalid field.
    private static func classify(_ error: DecodingError) -> SidecarRejection {
        let path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
            .dataCorrupted(let context):
            path = context.codingPath
        @unknown default:
            return .malformedJSON
        }
        guard let field = path.first?.stringValue else { return .malformedJSON }
        switch field {
        case "v": return .unsupportedVersion
        case "type": return .unknownType
        default: return .invalidField
        }
    }

    /// Reads the fields of one wire message with their checks.
    private struct Fields {
        let wire: SidecarWireMessage

        func name(_ key: KeyPath<SidecarWireMessage, String?>) throws(SidecarRejection) -> String {
            guard let name = wire[keyPath: key] else { throw .invalidField }
            guard !name.isEmpty, name.utf8.count <= SidecarMessageDecoder.maxNameBytes else { throw .outOfRange }
            return name
        }

        func value<Value: RawRepresentable<String>>(_ key: KeyPath<SidecarWireMessage, String?>) throws(SidecarRejection) -> Value {
            guard let raw = wire[keyPath: key], let value = Value(rawValue: raw) else { throw .invalidField }
            return value
        }

        func optionalValue<Value: RawRepresentable<String>>(
            _ key: KeyPath<SidecarWireMessage, String?>
        ) throws(SidecarRejection) -> Value? {
            guard let raw = wire[keyPath: key] else { return nil }
            guard let value = Value(rawValue: raw) else { throw .invalidField }
            return value
        }

        func nonNegative(_ key: KeyPath<SidecarWireMessage, Double?>) throws(SidecarRejection) -> Double {
            guard let value = wire[keyPath: key] else { throw .invalidField }
            guard value.isFinite, value >= 0 else { throw .outOfRange }
            return value
        }

        func duration(_ key: KeyPath<SidecarWireMessage, Double?>) throws(SidecarRejection) -> Duration {
            let seconds = try nonNegative(key)
            guard seconds <= SidecarMessageDecoder.maxSeconds else { throw .outOfRange }
            return .seconds(seconds)
        }

        func optionalDuration(_ key: KeyPath<SidecarWireMessage, Double?>) throws(SidecarRejection) -> Duration? {
            wire[keyPath: key] == nil ? nil : try duration(key)
        }

        /// A whole number of tokens or calls: 0 when absent, at most 2^53.
        func count(_ key: KeyPath<SidecarWireMessage, Double?>) throws(SidecarRejection) -> Int {
            let value = wire[keyPath: key] ?? 0
            guard value.rounded(.towardZero) == value else { throw .invalidField }
            guard value >= 0, value <= SidecarMessageDecoder.maxCount, let count = Int(exactly: value) else { throw .outOfRange }
            return count
        }

        func traceID() throws(SidecarRejection) -> String? {
            guard let traceID = wire.traceID else { return nil }
            guard !traceID.isEmpty, traceID.utf8.count <= SidecarMessageDecoder.maxTraceIDBytes else { throw .outOfRange }
            return traceID
        }

        func optionalName(_ key: KeyPath<SidecarWireMessage, String?>) throws(SidecarRejection) -> String? {
            wire[keyPath: key] == nil ? nil : try name(key)
        }

        func request(wasStarted: Bool) throws(SidecarRejection) -> LLMRequestCompletion {
            LLMRequestCompletion(
                model: try name(\.model), status: try value(\.status), duration: try duration(\.durationSeconds),
                inputTokens: try count(\.inputTokens), outputTokens: try count(\.outputTokens),
                timeToFirstToken: try optionalDuration(\.ttftSeconds), finishReason: try optionalValue(\.finishReason),
                errorType: try optionalValue(\.errorType), cacheReadTokens: try count(\.cacheReadTokens),
                cacheWriteTokens: try count(\.cacheWriteTokens), reasoningTokens: try count(\.reasoningTokens),
                traceID: try traceID(), team: try optionalName(\.team), wasStarted: wasStarted)
        }

        func execution(wasStarted: Bool) throws(SidecarRejection) -> AgentExecutionCompletion {
            var cost: Double?
            if wire.costUSD != nil { cost = try nonNegative(\.costUSD) }
            return AgentExecutionCompletion(
                agent: try name(\.agent), status: try value(\.status), duration: try duration(\.durationSeconds),
                llmCalls: try count(\.llmCalls), toolCalls: try count(\.toolCalls), inputTokens: try count(\.inputTokens),
                outputTokens: try count(\.outputTokens), costUSD: cost, traceID: try traceID(), wasStarted: wasStarted)
        }
    }
}
