public import LLMDevOpsMetrics

/// Everything ``MetricsCollectors`` is built from: which collectors run, the model allow-list
/// and prices, the agents and their tools, the event buffer size and the series caps.
///
/// ```swift
/// var configuration = CollectorsConfiguration()
/// configuration.llm.models = [LLMModel("gpt-4o", provider: "openai", price: LLMPrice(inputPerMillion: 2.5, outputPerMillion: 10))]
/// configuration.agent.agents = [AgentDefinition("support-router", tools: ["search_docs"])]
/// ```
public struct CollectorsConfiguration: Sendable {
    /// The LLM collector.
    public var llm: LLMCollectorConfiguration
    /// The agent collector.
    public var agent: AgentCollectorConfiguration
    /// The `/proc` process collector.
    public var process: ProcessCollectorConfiguration
    /// The Swift runtime collector.
    public var runtime: RuntimeCollectorConfiguration
    /// The swift-metrics backend; nil creates none.
    public var swiftMetrics: SwiftMetricsBackendConfiguration?
    /// Events each collector's buffer holds before new ones are dropped (and counted).
    public var eventBufferSize: Int
    /// The most series one LLM or agent metric may hold (METRICS-CATALOG.md §6: 2000).
    public var maxSeriesPerMetric: Int
    /// Settings of the registry ``MetricsCollectors`` creates when it is not given one.
    public var registry: RegistryConfiguration
    /// Native buckets beside the classic ones for the latency histograms (L3
    /// `llmdevops_llm_request_duration_seconds`, L4 `..._time_to_first_token_seconds`, L5
    /// `..._time_per_output_token_seconds`, A5 `llmdevops_agent_tool_call_duration_seconds`, A6
    /// `llmdevops_agent_execution_duration_seconds`); nil keeps them classic only. On by
    /// default with factor 1.1 (schema 3), at most 160 buckets, zero threshold 2^-128. Native
    /// buckets appear in the protobuf format only.
    public var nativeHistograms: NativeHistogramOptions?

    /// Creates a configuration; the defaults enable every collector with empty allow-lists.
    public init(
        llm: LLMCollectorConfiguration = LLMCollectorConfiguration(),
        agent: AgentCollectorConfiguration = AgentCollectorConfiguration(),
        process: ProcessCollectorConfiguration = ProcessCollectorConfiguration(),
        runtime: RuntimeCollectorConfiguration = RuntimeCollectorConfiguration(),
        swiftMetrics: SwiftMetricsBackendConfiguration? = SwiftMetricsBackendConfiguration(),
        eventBufferSize: Int = 65_536,
        maxSeriesPerMetric: Int = 2000,
        registry: RegistryConfiguration = RegistryConfiguration(maxSeriesPerMetric: 2000, maxSeries: 20_000),
        nativeHistograms: NativeHistogramOptions? = NativeHistogramOptions()
    ) {
        self.llm = llm
        self.agent = agent
        self.process = process
        self.runtime = runtime
        self.swiftMetrics = swiftMetrics
        self.eventBufferSize = eventBufferSize
        self.maxSeriesPerMetric = maxSeriesPerMetric
        self.registry = registry
        self.nativeHistograms = nativeHistograms
    }

    /// Checks the values and the caps of METRICS-CATALOG.md §6.
    ///
    /// - Throws: ``CollectorsError/Code/invalidConfiguration`` naming the key and the reason.
    public func validate() throws(CollectorsError) {
        guard eventBufferSize >= 1 else { throw .invalid("eventBufferSize", "must be at least 1") }
        guard maxSeriesPerMetric >= 1 else { throw .invalid("maxSeriesPerMetric", "must be at least 1") }
        do {
            try nativeHistograms?.validate()
        } catch {
            throw .invalid("nativeHistograms", error.detail)
        }
        if llm.isEnabled {
            guard llm.models.count <= llm.maxModels else {
                throw .invalid("llm.models", "\(llm.models.count) models exceed the cap of \(llm.maxModels)")
            }
            var seen = Set<String>()
            for model in llm.models {
                try Self.checkLabelValue(model.name, key: "llm.models", reserved: "other")
                guard seen.insert(model.name).inserted else { throw .invalid("llm.models", "model '\(model.name)' is listed twice") }
                if let price = model.price {
                    let parts = [price.inputPerMillion, price.outputPerMillion, price.cacheReadPerMillion ?? 0, price.cacheWritePerMillion ?? 0]
                    guard parts.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                        throw .invalid("llm.models.\(model.name).price", "prices must be finite and not negative")
                    }
                }
            }
            guard llm.teams.count <= min(llm.maxTeams, 50) else {
                throw .invalid("llm.teams", "\(llm.teams.count) teams exceed the cap of \(min(llm.maxTeams, 50))")
            }
            var teams = Set<String>()
            for team in llm.teams {
                try Self.checkLabelValue(team, key: "llm.teams", reserved: "other")
                guard teams.insert(team).inserted else { throw .invalid("llm.teams", "team '\(team)' is listed twice") }
            }
            for chain in llm.fallbackChains {
                for model in chain where !seen.contains(model) {
                    throw .invalid("llm.fallbackChains", "model '\(model)' is not in llm.models")
                }
            }
        }
        if agent.isEnabled {
            guard agent.agents.count <= agent.maxAgents else {
                throw .invalid("agent.agents", "\(agent.agents.count) agents exceed the cap of \(agent.maxAgents)")
            }
            var seen = Set<String>()
            for definition in agent.agents {
                try Self.checkLabelValue(definition.name, key: "agent.agents", reserved: "other")
                guard seen.insert(definition.name).inserted else {
                    throw .invalid("agent.agents", "agent '\(definition.name)' is listed twice")
                }
                guard Set(definition.tools).count <= agent.maxToolsPerAgent else {
                    throw .invalid(
                        "agent.agents.\(definition.name).tools",
                        "\(definition.tools.count) tools exceed the cap of \(agent.maxToolsPerAgent)")
                }
                for tool in definition.tools {
                    try Self.checkLabelValue(tool, key: "agent.agents.\(definition.name).tools", reserved: "_unknown")
                }
            }
            for guardrail in agent.guardrails {
                try Self.checkLabelValue(guardrail, key: "agent.guardrails", reserved: "other")
            }
        }
    }

    private static func checkLabelValue(_ value: String, key: String, reserved: String) throws(CollectorsError) {
        guard !value.isEmpty else { throw .invalid(key, "names must not be empty") }
        guard value != reserved else { throw .invalid(key, "'\(reserved)' is reserved for values outside the allow-list") }
        // The value itself is not repeated: it may be the secret.
        if let reason = LabelValueScreen.reason(for: value) {
            throw .invalid(key, "a name looks like a secret or an e-mail address (\(reason.rawValue)); label values are exported to every scraper")
        }
    }
}
