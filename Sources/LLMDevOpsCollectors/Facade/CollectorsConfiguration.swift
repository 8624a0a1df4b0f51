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
    /// The most series one LLM or agent metric may hold (2000 by default).
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

    /// The most distinct unlisted model or agent names a collector may admit.
    public static let maxAdmittedNames = 1000
    /// The most unlisted tools one agent may admit.
    public static let maxAdmittedToolsPerAgent = 100
    /// The most (agent, tool) pairs tool admission may reserve room for:
    /// `(agents + admitUnlistedAgents) × admitUnlistedTools`.
    public static let maxAdmittedToolPairs = 10_000

    /// Checks the values and the caps on the allow-lists and series.
    ///
    /// Keys name list entries by position, as the YAML does: `llm.models[2].price`,
    /// `llm.aliases[0].model`, `agent.agents[1].tools[3]`.
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
        let intervals = ProcessCollectorConfiguration.samplingIntervals
        for (key, enabled, interval) in [
            ("process.samplingInterval", process.isEnabled, process.samplingInterval),
            ("runtime.samplingInterval", runtime.isEnabled, runtime.samplingInterval),
        ] where enabled && !intervals.contains(interval) {
            throw .invalid(key, "must be between 10 ms and 60 s, got \(interval)")
        }
        if llm.isEnabled { try validateLLM() }
        if agent.isEnabled { try validateAgent() }
    }

    private func validateLLM() throws(CollectorsError) {
        guard llm.models.count <= llm.maxModels else {
            throw .invalid("llm.models", "\(llm.models.count) models exceed the cap of \(llm.maxModels)")
        }
        guard (0...Self.maxAdmittedNames).contains(llm.admitUnlistedModels) else {
            throw .invalid("llm.admitUnlistedModels", "must be between 0 and \(Self.maxAdmittedNames)")
        }
        var seen = Set<String>()
        for (index, model) in llm.models.enumerated() {
            let key = "llm.models[\(index)]"
            try Self.checkLabelValue(model.name, key: "\(key).name", reserved: "other")
            guard seen.insert(model.name).inserted else {
                throw .invalid("\(key).name", "model '\(model.name)' is listed twice")
            }
            try Self.checkLabelValue(model.provider, key: "\(key).provider", reserved: nil)
            try Self.checkLabelValue(model.family, key: "\(key).family", reserved: nil)
            if let price = model.price, let problem = Self.problem(with: price) {
                throw .invalid("\(key).price", problem)
            }
        }
        for (name, price) in llm.prices {
            guard !name.isEmpty else { throw .invalid("llm.prices", "model names must not be empty") }
            if let problem = Self.problem(with: price) { throw .invalid("llm.prices.\(name)", problem) }
        }
        var patterns = Set<String>()
        for (index, alias) in llm.aliases.enumerated() {
            let key = "llm.aliases[\(index)]"
            guard alias.match != nil else {
                throw .invalid("\(key).pattern", "must be a name, or have a single * at its start or its end")
            }
            guard !seen.contains(alias.pattern) else {
                throw .invalid("\(key).pattern", "'\(alias.pattern)' is a listed model; listed names take precedence")
            }
            guard patterns.insert(alias.pattern).inserted else {
                throw .invalid("\(key).pattern", "'\(alias.pattern)' is listed twice")
            }
            guard seen.contains(alias.model) else {
                throw .invalid("\(key).model", "model '\(alias.model)' is not in llm.models")
            }
        }
        guard llm.teams.count <= min(llm.maxTeams, 50) else {
            throw .invalid("llm.teams", "\(llm.teams.count) teams exceed the cap of \(min(llm.maxTeams, 50))")
        }
        var teams = Set<String>()
        for (index, team) in llm.teams.enumerated() {
            try Self.checkLabelValue(team, key: "llm.teams[\(index)]", reserved: "other")
            guard teams.insert(team).inserted else {
                throw .invalid("llm.teams[\(index)]", "team '\(team)' is listed twice")
            }
        }
        for (chainIndex, chain) in llm.fallbackChains.enumerated() {
            for (index, model) in chain.enumerated() where !seen.contains(model) {
                throw .invalid("llm.fallbackChains[\(chainIndex)][\(index)]", "model '\(model)' is not in llm.models")
            }
        }
    }

    private func validateAgent() throws(CollectorsError) {
        guard agent.agents.count <= agent.maxAgents else {
            throw .invalid("agent.agents", "\(agent.agents.count) agents exceed the cap of \(agent.maxAgents)")
        }
        guard (0...Self.maxAdmittedNames).contains(agent.admitUnlistedAgents) else {
            throw .invalid("agent.admitUnlistedAgents", "must be between 0 and \(Self.maxAdmittedNames)")
        }
        guard (0...Self.maxAdmittedToolsPerAgent).contains(agent.admitUnlistedTools) else {
            throw .invalid("agent.admitUnlistedTools", "must be between 0 and \(Self.maxAdmittedToolsPerAgent)")
        }
        let pairs = (agent.agents.count + agent.admitUnlistedAgents) * agent.admitUnlistedTools
        guard pairs <= Self.maxAdmittedToolPairs else {
            throw .invalid(
                "agent.admitUnlistedTools",
                "(agents + admitted agents) x admitted tools is \(pairs), more than \(Self.maxAdmittedToolPairs)"
            )
        }
        var seen = Set<String>()
        for (index, definition) in agent.agents.enumerated() {
            let key = "agent.agents[\(index)]"
            try Self.checkLabelValue(definition.name, key: "\(key).name", reserved: "other")
            guard seen.insert(definition.name).inserted else {
                throw .invalid("\(key).name", "agent '\(definition.name)' is listed twice")
            }
            guard Set(definition.tools).count <= agent.maxToolsPerAgent else {
                throw .invalid(
                    "\(key).tools",
                    "\(definition.tools.count) tools exceed the cap of \(agent.maxToolsPerAgent)"
                )
            }
            for (toolIndex, tool) in definition.tools.enumerated() {
                try Self.checkLabelValue(tool, key: "\(key).tools[\(toolIndex)]", reserved: "_unknown")
            }
        }
        for (index, guardrail) in agent.guardrails.enumerated() {
            try Self.checkLabelValue(guardrail, key: "agent.guardrails[\(index)]", reserved: "other")
        }
    }

    /// Why `price` cannot be used (a negative or non-finite part), or nil.
    package static func problem(with price: LLMPrice) -> String? {
        let parts = [
            price.inputPerMillion, price.outputPerMillion, price.cacheReadPerMillion ?? 0,
            price.cacheWritePerMillion ?? 0,
        ]
        return parts.allSatisfy({ $0.isFinite && $0 >= 0 }) ? nil : "prices must be finite and not negative"
    }

    private static func checkLabelValue(_ value: String, key: String, reserved: String?) throws(CollectorsError) {
        guard !value.isEmpty else { throw .invalid(key, "names must not be empty") }
        if let reserved, value == reserved {
            throw .invalid(key, "'\(reserved)' is reserved for values outside the allow-list")
        }
        // The value itself is not repeated: it may be the secret.
        if let reason = LabelValueScreen.reason(for: value) {
            throw .invalid(
                key,
                "a name looks like a secret or an e-mail address (\(reason.rawValue)); "
                    + "label values are exported to every scraper"
            )
        }
    }
}
