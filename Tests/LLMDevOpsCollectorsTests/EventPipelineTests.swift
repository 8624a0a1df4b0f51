import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import LLMDevOpsTestSupport
import ServiceLifecycle
import Logging
import Synchronization
import Testing

@Suite(.timeLimit(minutes: 1)) struct EventPipelineTests {
    @Test func eventsBeyondTheBufferAreDroppedAndCounted() async throws {
        let configuration = eventOnlyConfiguration(models: ["m"], bufferSize: 8)
        let metrics = try await MetricsCollectors(configuration: configuration, logger: .quiet)
        // Not running yet: the buffer fills at 8 and the rest are dropped.
        var buffered = 0
        for _ in 0..<20 {
            if metrics.llm.recordNow(.requestFinished(LLMRequestCompletion(model: "m", status: .success, duration: .seconds(1)))) {
                buffered += 1
            }
        }
        #expect(buffered == 8)
        let registry = metrics.registry
        try await registry.expectSample("llmdevops_collector_events_total", labels: ["collector": "llm"], value: 20)
        try await registry.expectSample("llmdevops_collector_events_dropped_total", labels: ["collector": "llm"], value: 12)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await metrics.run() }
            await metrics.flush()
            try await registry.expectSample("llmdevops_llm_requests_total", labels: ["model": "m", "status": "success"], value: 8)
            metrics.shutdown()
            try await group.waitForAll()
        }
    }

    @Test func flushWaitsForADeepBacklog() async throws {
        // recordNow always queues and the producer is far faster than the consumer, so a deep
        // backlog is queued when flush starts; a flush that did not wait for it would see far
        // fewer requests.
        let events = 200_000
        try await withRunningCollectors(eventOnlyConfiguration(models: ["m"], bufferSize: events)) { metrics in
            for _ in 0..<events {
                metrics.llm.recordNow(.requestFinished(LLMRequestCompletion(model: "m", status: .success, duration: .milliseconds(5), inputTokens: 1)))
            }
            await metrics.llm.flush()
            try await metrics.registry.expectSample(
                "llmdevops_llm_requests_total", labels: ["model": "m", "status": "success"], value: Double(events))
        }
    }

    @Test func flushSeesEveryEarlierEventOfItsProducerInOrder() async throws {
        let models = (0..<4).map { "m\($0)" }
        try await withRunningCollectors(eventOnlyConfiguration(models: models)) { metrics in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for model in models {
                    group.addTask {
                        for value in 1...400 {
                            await metrics.llm.setRateLimitRemaining(model: model, kind: .tokens, remaining: Double(value))
                            if value % 40 == 0 {
                                await metrics.llm.flush()
                                // Only this producer writes this series: after flush it shows the latest value.
                                try await metrics.registry.expectSample(
                                    "llmdevops_llm_ratelimit_remaining", labels: ["model": model, "kind": "tokens"],
                                    value: Double(value))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test func flushCompletesWhenTheBufferIsFullAndDropsAreExact() async throws {
        // A one-event buffer is full most of the time, so flush markers get parked and must
        // still be delivered; every event is either applied or counted as dropped.
        let metrics = try await withRunningCollectors(eventOnlyConfiguration(models: ["m"], bufferSize: 1)) { metrics in
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        for _ in 0..<300 {
                            metrics.llm.recordNow(.requestFinished(LLMRequestCompletion(model: "m", status: .error, duration: .seconds(1))))
                            await metrics.llm.flush()
                        }
                    }
                }
            }
            await metrics.flush()
            return metrics
        }
        let exposition = try await metrics.registry.parsedExposition()
        let offered = exposition.value("llmdevops_collector_events_total", ["collector": "llm"])
        let dropped = exposition.value("llmdevops_collector_events_dropped_total", ["collector": "llm"])
        #expect(offered == 1200)
        #expect(exposition.value("llmdevops_llm_requests_total", ["model": "m", "status": "error"]) == offered - dropped)
    }

    @Test func recordWithNothingQueuedIsAppliedBeforeItReturns() async throws {
        // No consumer is running: only the direct path can apply these.
        let metrics = try await MetricsCollectors(configuration: eventOnlyConfiguration(models: ["m"], bufferSize: 1), logger: .quiet)
        for _ in 0..<100 {
            await metrics.llm.recordRequest(model: "m", status: .success, duration: .seconds(1), inputTokens: 2)
        }
        let registry = metrics.registry
        try await registry.expectSample("llmdevops_llm_requests_total", labels: ["model": "m", "status": "success"], value: 100)
        try await registry.expectSample("llmdevops_llm_tokens_total", labels: ["model": "m", "type": "input"], value: 200)
        try await registry.expectSample("llmdevops_collector_events_total", labels: ["collector": "llm"], value: 100)
        try await registry.expectSample("llmdevops_collector_events_dropped_total", labels: ["collector": "llm"], value: 0)
    }

    @Test func recordBehindAQueuedEventKeepsTheProducersOrder() async throws {
        // The first value is queued (recordNow, no consumer yet). If the second were applied
        // directly, the consumer would later overwrite it with the first.
        let metrics = try await MetricsCollectors(configuration: eventOnlyConfiguration(models: ["m"]), logger: .quiet)
        metrics.llm.recordNow(.rateLimitRemaining(model: "m", kind: .tokens, remaining: 1))
        await metrics.llm.setRateLimitRemaining(model: "m", kind: .tokens, remaining: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await metrics.run() }
            await metrics.llm.flush()
            try await metrics.registry.expectSample("llmdevops_llm_ratelimit_remaining", labels: ["model": "m", "kind": "tokens"], value: 2)
            // The backlog is drained: the next value is applied directly, after the queued ones.
            await metrics.llm.setRateLimitRemaining(model: "m", kind: .tokens, remaining: 3)
            try await metrics.registry.expectSample("llmdevops_llm_ratelimit_remaining", labels: ["model": "m", "kind": "tokens"], value: 3)
            metrics.shutdown()
            try await group.waitForAll()
        }
    }

    @Test func recordBehindAFullBufferIsDroppedAndCounted() async throws {
        let metrics = try await MetricsCollectors(configuration: eventOnlyConfiguration(models: ["m"], bufferSize: 2), logger: .quiet)
        for _ in 0..<2 {
            #expect(metrics.llm.recordNow(.requestFinished(LLMRequestCompletion(model: "m", status: .success, duration: .seconds(1)))))
        }
        // Two events are queued and the buffer is full: record may not go direct and is dropped.
        for _ in 0..<3 {
            await metrics.llm.recordRequest(model: "m", status: .success, duration: .seconds(1))
        }
        let registry = metrics.registry
        try await registry.expectSample("llmdevops_collector_events_total", labels: ["collector": "llm"], value: 5)
        try await registry.expectSample("llmdevops_collector_events_dropped_total", labels: ["collector": "llm"], value: 3)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await metrics.run() }
            await metrics.flush()
            try await registry.expectSample("llmdevops_llm_requests_total", labels: ["model": "m", "status": "success"], value: 2)
            metrics.shutdown()
            try await group.waitForAll()
        }
    }

    @Test func runTwiceThrowsAlreadyRunning() async throws {
        try await withRunningCollectors(eventOnlyConfiguration(models: [])) { metrics in
            await metrics.flush()  // the first run() has started its consumers
            await #expect(throws: CollectorsError.self) { try await metrics.run() }
        }
    }

    @Test func shutdownAppliesQueuedEventsBeforeRunReturns() async throws {
        let metrics = try await MetricsCollectors(configuration: eventOnlyConfiguration(models: ["m"]), logger: .quiet)
        for _ in 0..<1000 {
            metrics.llm.recordNow(.requestFinished(LLMRequestCompletion(model: "m", status: .success, duration: .seconds(1), inputTokens: 3)))
        }
        // Behind the queued events record queues too, so it is also applied by the drain.
        await metrics.llm.recordRequest(model: "m", status: .success, duration: .seconds(1), inputTokens: 3)
        metrics.shutdown()
        try await metrics.run()  // drains what was queued, then returns
        try await metrics.registry.expectSample("llmdevops_llm_tokens_total", labels: ["model": "m", "type": "input"], value: 3003)
        await metrics.llm.recordRequest(model: "m", status: .success, duration: .seconds(1))
        try await metrics.registry.expectSample("llmdevops_collector_events_dropped_total", labels: ["collector": "llm"], value: 1)
    }

    @Test func disabledCollectorsRegisterNothingAndIgnoreEvents() async throws {
        var configuration = eventOnlyConfiguration(models: ["m"])
        configuration.llm.isEnabled = false
        configuration.agent.isEnabled = false
        try await withRunningCollectors(configuration) { metrics in
            await metrics.llm.recordRequest(model: "m", status: .success, duration: .seconds(1))
            await metrics.flush()
            let exposition = try await metrics.registry.parsedExposition()
            #expect(exposition.family(named: "llmdevops_llm_requests") == nil)
            #expect(exposition.family(named: "llmdevops_agent_executions") == nil)
        }
    }

    /// A service must not return before shutdown: with every collector disabled, a ServiceGroup
    /// running only the collectors ends cleanly on graceful shutdown instead of reporting that
    /// the service finished unexpectedly.
    ///
    /// On a thread of its own the group's tasks and this test's yields share one serial
    /// executor, so every yield gives the group a turn (on the shared cooperative threads a
    /// yield waits behind every other test's jobs, and 20,000 of them took a minute).
    @Test(.ownThread) func runLastsUntilShutdownWithEveryCollectorDisabled() async throws {
        var configuration = eventOnlyConfiguration(models: [])
        configuration.llm.isEnabled = false
        configuration.agent.isEnabled = false
        configuration.swiftMetrics = nil
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let metrics = try await MetricsCollectors(configuration: configuration, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [metrics], logger: logger))
        let ended = GroupOutcome()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                do {
                    try await group.run()
                    ended.value.withLock { $0 = .some(nil) }
                } catch {
                    ended.value.withLock { $0 = .some(error) }
                }
            }
            // Give the group every chance to end on its own (bounded yields, no sleeping): it must not.
            for _ in 0..<20_000 where ended.value.withLock({ $0 == nil }) { await Task.yield() }
            #expect(ended.value.withLock { $0 == nil }, "the group ended before shutdown: \(String(describing: ended.value.withLock { $0 }))")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(ended.value.withLock { $0 } != nil)
        if case .some(.some(let error)) = ended.value.withLock({ $0 }) {
            Issue.record("graceful shutdown failed: \(error)")
        }
    }

    enum InvalidCase: CaseIterable, Sendable {
        case reservedModelName, tooManyModels, tooManyTools, unknownChainModel, emptyBuffer, reservedTeam, tooManyTeams, duplicateTeam
        case secretModelName, emailAgentName

        var key: String {
            // List entries are named by position, as in the YAML (issue 12).
            switch self {
            case .tooManyModels: "llm.models"
            case .reservedModelName, .secretModelName: "llm.models[0].name"
            case .emailAgentName: "agent.agents[0].name"
            case .tooManyTools: "agent.agents[0].tools"
            case .unknownChainModel: "llm.fallbackChains[0][0]"
            case .emptyBuffer: "eventBufferSize"
            case .tooManyTeams: "llm.teams"
            case .reservedTeam, .duplicateTeam: "llm.teams[1]"
            }
        }

        func apply(to c: inout CollectorsConfiguration) {
            switch self {
            case .reservedModelName: c.llm.models = [LLMModel("other", provider: "x")]
            case .tooManyModels:
                c.llm.maxModels = 1
                c.llm.models = [LLMModel("a", provider: "x"), LLMModel("b", provider: "x")]
            case .tooManyTools: c.agent.agents = [AgentDefinition("a", tools: (0..<31).map { "t\($0)" })]
            case .unknownChainModel: c.llm.fallbackChains = [["nope", "also-nope"]]
            case .emptyBuffer: c.eventBufferSize = 0
            case .reservedTeam: c.llm.teams = ["search", "other"]
            case .tooManyTeams: c.llm.teams = (0..<51).map { "team-\($0)" }
            case .duplicateTeam: c.llm.teams = ["search", "search"]
            case .secretModelName: c.llm.models = [LLMModel("sk-proj-Q3vN8xT2LmZ0pR7aW4kY1bC6dE9fG5hJ", provider: "x")]
            case .emailAgentName: c.agent.agents = [AgentDefinition("oncall.person@example.com", tools: [])]
            }
        }
    }

    @Test(arguments: InvalidCase.allCases)
    func invalidConfigurationNamesTheKey(_ invalid: InvalidCase) async throws {
        let key = invalid.key
        var configuration = eventOnlyConfiguration(models: [])
        invalid.apply(to: &configuration)
        do {
            _ = try await MetricsCollectors(configuration: configuration, logger: .quiet)
            Issue.record("expected an invalid-configuration error for \(key)")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.key == key)
        }
    }
}

/// How a service group's run ended: nil while running, `.some(nil)` on success, `.some(error)`.
final class GroupOutcome: Sendable {
    let value = Lock<(any Error)??>(nil)
}
