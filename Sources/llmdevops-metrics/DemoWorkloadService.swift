import LLMDevOpsCollectors
import Logging
import ServiceLifecycle

/// Drives METRICS-CATALOG.md §8's synthetic LLM and agent traffic through the public
/// collector API, so that `--demo` shows realistic metrics at once.
///
/// With an event bound it emits exactly that many seeded events (as fast as it can, or paced at
/// `eventsPerSecond` when a rate is given) and then idles: the totals are reproducible (the
/// end-to-end and soak tests recompute them in-process). Without one it streams at
/// `eventsPerSecond` (default 200) until shutdown.
struct DemoWorkloadService: Service {
    let collectors: MetricsCollectors
    let events: Int?
    let eventsPerSecond: Double?
    let seed: UInt64
    let logger: Logger

    func run() async throws {
        let workload = SyntheticWorkload(seed: seed)
        if let events {
            let summary: WorkloadSummary
            if let eventsPerSecond {
                summary = await cancelWhenGracefulShutdown {
                    await workload.run(llm: collectors.llm, agent: collectors.agent, events: events, eventsPerSecond: eventsPerSecond)
                }
            } else {
                summary = await workload.run(llm: collectors.llm, agent: collectors.agent, events: events)
            }
            await collectors.flush()
            logger.info("Demo workload applied", metadata: ["llmdevops.demo.events": "\(summary.events)"])
            try? await gracefulShutdown()
        } else {
            let eventsPerSecond = eventsPerSecond ?? 200
            logger.info("Demo workload streaming", metadata: ["llmdevops.demo.events_per_second": "\(eventsPerSecond)"])
            await cancelWhenGracefulShutdown {
                _ = await workload.run(
                    llm: collectors.llm,
                    agent: collectors.agent,
                    eventsPerSecond: eventsPerSecond,
                    duration: .seconds(365 * 24 * 3600)
                )
            }
        }
    }
}
