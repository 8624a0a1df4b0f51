import LLMDevOpsMetrics

/// A few fixed demo series so that `/metrics` has data before the real collectors exist. The
/// values are constants, so tests (and people) can check them exactly.
enum DemoMetrics {
    static func register(in registry: RegistryActor) async throws {
        let requests = try await registry.makeCounterFamily(
            name: "llmdevops_demo_llm_requests_total",
            help: "Demo: LLM requests by model and status.",
            labelNames: ["model", "status"]
        )
        try await requests.labels(["model": "demo-small", "status": "ok"]).increment(by: 42)
        try await requests.labels(["model": "demo-small", "status": "error"]).increment(by: 3)
        try await requests.labels(["model": "demo-large", "status": "ok"]).increment(by: 7)

        let tokens = try await registry.makeCounterFamily(
            name: "llmdevops_demo_llm_tokens_total",
            help: "Demo: tokens processed by model and direction.",
            labelNames: ["model", "type"]
        )
        try await tokens.labels(["model": "demo-small", "type": "input"]).increment(by: 1200)
        try await tokens.labels(["model": "demo-small", "type": "output"]).increment(by: 345)

        let latency = try await registry.makeHistogramFamily(
            name: "llmdevops_demo_llm_request_duration_seconds",
            help: "Demo: LLM request latency.",
            unit: "seconds",
            labelNames: ["model"],
            buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10]
        )
        let small = try await latency.labels(["model": "demo-small"])
        for seconds in [0.12, 0.3, 0.3, 0.8, 1.7, 4.2] { small.observe(seconds) }

        let agents = try await registry.makeGauge(
            name: "llmdevops_demo_agents_active", help: "Demo: agents currently running.")
        agents.set(to: 2)
    }
}
