import Foundation
import LLMDevOpsCollectors
import LLMDevOpsSidecarEmitter
import LLMDevOpsTestSupport
import Logging
import NIOEmbedded
import Testing

/// `SidecarEmitter` with nobody listening: a bounded buffer, counted drops, reconnect attempts,
/// and a shutdown that accounts for every event. The socket tests are in
/// `SidecarEmitterTests+Delivery.swift`.
@Suite struct SidecarEmitterTests {
    static let logger = Logger(label: "sidecar-emitter-test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func configuration(
        capacity: Int, endpoint: SidecarEmitterConfiguration.Endpoint? = nil
    ) -> SidecarEmitterConfiguration {
        var configuration = SidecarEmitterConfiguration(
            endpoint: endpoint ?? .unixDomainSocket(path: "/nonexistent-\(UUID().uuidString)/metrics.sock"))
        configuration.bufferCapacity = capacity
        configuration.initialBackoff = .milliseconds(1)
        configuration.maxBackoff = .milliseconds(8)
        configuration.drainTimeout = .milliseconds(50)
        return configuration
    }

    @Test func eventsBeyondTheBufferAreDroppedAndCounted() async {
        let emitter = SidecarEmitter(configuration: Self.configuration(capacity: 10), logger: Self.logger)
        for index in 0..<15 {
            await emitter.recordRequest(model: "m", status: .success, duration: .milliseconds(index))
        }
        #expect(emitter.recordNow(AgentEvent.step(agent: "a", type: .plan)) == false)
        let statistics = emitter.statistics
        #expect(statistics.recorded == 16)
        #expect(statistics.buffered == 10)
        #expect(statistics.dropped == 6)
        #expect(statistics.sent == 0)
    }

    @Test(.timeLimit(minutes: 1))
    func shutdownWithoutASidecarDropsWhatIsBufferedAndFlushReturns() async throws {
        let emitter = SidecarEmitter(configuration: Self.configuration(capacity: 100), logger: Self.logger)
        for _ in 0..<5 { await emitter.recordStep(agent: "a", type: .llmCall) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await emitter.run() }
            group.addTask { await emitter.flush() }  // returns when shutdown has drained
            emitter.shutdown()
            try await group.waitForAll()
        }
        let statistics = emitter.statistics
        #expect(statistics.recorded == 5)
        #expect(statistics.dropped == 5)
        #expect(statistics.buffered == 0)
        #expect(statistics.recorded == statistics.sent + statistics.dropped)
        #expect(statistics.connectFailures >= 1)
        await emitter.recordStep(agent: "a", type: .plan)
        #expect(emitter.statistics.dropped == 6, "after the emitter stopped, events are dropped")
        await emitter.flush()
        await #expect(throws: SidecarEmitterError.self) { try await emitter.run() }
    }

    @Test func linesLongerThanTheLimitAreDropped() {
        var configuration = Self.configuration(capacity: 10)
        configuration.maxLineBytes = 64
        let emitter = SidecarEmitter(configuration: configuration, logger: Self.logger)
        #expect(!emitter.recordNow(LLMEvent.requestStarted(model: String(repeating: "x", count: 100))))
        #expect(emitter.recordNow(LLMEvent.requestStarted(model: "short")))
        #expect(emitter.statistics.dropped == 1)
        #expect(emitter.statistics.buffered == 1)
    }

    @Test(.timeLimit(minutes: 1))
    func anInvalidEndpointCountsFailedConnectsUntilShutdown() async throws {
        let configuration = Self.configuration(capacity: 10, endpoint: .tcp(host: "not-an-address", port: 9))
        let emitter = SidecarEmitter(configuration: configuration, logger: Self.logger)
        #expect(emitter.recordNow(LLMEvent.requestStarted(model: "m")))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await emitter.run() }
            emitter.shutdown()
            try await group.waitForAll()
        }
        let statistics = emitter.statistics
        #expect(statistics.connectFailures >= 1)
        #expect(statistics.sent == 0)
        #expect(statistics.dropped == 1)
        #expect(statistics.buffered == 0)
    }

    @Test func anEventLoopGroupWithoutPOSIXSocketsIsRefused() async throws {
        let loop = EmbeddedEventLoop()
        let emitter = SidecarEmitter(configuration: Self.configuration(capacity: 10), eventLoopGroup: loop, logger: Self.logger)
        let error = await #expect(throws: SidecarEmitterError.self) { try await emitter.run() }
        #expect(error?.code == .unsupportedEventLoopGroup)
        #expect(emitter.recordNow(LLMEvent.requestStarted(model: "m")), "a refused run() leaves the emitter buffering")
        #expect(emitter.statistics.buffered == 1)
    }
}
